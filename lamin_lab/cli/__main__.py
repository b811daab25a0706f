"""``python -m lamin_lab.cli``: the same as the ``lamin-lab`` command."""

from . import main

raise SystemExit(main())
