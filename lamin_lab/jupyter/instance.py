"""Keep the Jupyter server's process on the current lamin_lab instance.

The server starts once, but the current instance can change while it runs: a
notebook calls ``ln.setup.init(...)`` or ``ln.setup.connect(...)``, which rewrites
the settings under ``LAMIN_LAB_HOME``. Each request therefore reads the current
instance's name (one small file) and reconnects when it differs from the connected
one, so the sidebar always shows what a new kernel would see.

Unlike a kernel's first database use, the server never creates a default instance:
with none set up it answers with a message that says how to create one.
"""

from __future__ import annotations

from ..errors import InstanceNotSetupError
from ..orm.database import database
from ..settings import InstanceSettings, home_dir, read_current_instance_name, settings
from ..setup import connect


def current_instance() -> InstanceSettings:
    """Connect this process to the current instance if it is not already; return it.

    Examples
    --------
    >>> current_instance().name  # doctest: +SKIP
    'mydata'
    """
    name = read_current_instance_name()
    wanted = InstanceSettings.load(name) if name else None
    if wanted is None:
        raise InstanceNotSetupError(
            f"No lamin_lab instance is set up under {home_dir()}. Create one in a notebook with "
            "ln.setup.init(storage='./mydata'), then refresh the lamin_lab sidebar."
        )
    connected = settings._instance
    if (
        connected is None
        or database.obj is None
        or (connected.name, connected.db) != (wanted.name, wanted.db)
    ):
        connect(name, make_current=False)  # follow the kernels; never write current.json
    return settings._instance or wanted
