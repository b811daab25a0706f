"""``ln.settings`` and ``ln.setup.settings``: creation, annotation, verbosity, run inputs, dev_dir."""

from __future__ import annotations

import os

LEVELS = ["error", "warning", "success", "info", "hint", "debug"]


def scenario_creation_defaults(ln, ctx):
    """``ln.settings.creation`` has LaminDB's fields with their defaults."""
    creation = ln.settings.creation
    return {
        "search_names": creation.search_names,
        "artifact_silence_missing_run_warning": creation.artifact_silence_missing_run_warning,
        "artifact_skip_size_hash": creation.artifact_skip_size_hash,
    }


def scenario_creation_class_name(ln, ctx):
    """The creation settings object is a ``CreationSettings``."""
    return type(ln.settings.creation).__name__


def scenario_creation_search_names_can_be_switched_off(ln, ctx):
    """Assigning ``search_names`` sticks (and is restored)."""
    ln.settings.creation.search_names = False
    try:
        return ln.settings.creation.search_names
    finally:
        ln.settings.creation.search_names = True


def scenario_creation_silence_missing_run_warning_can_be_set(ln, ctx):
    """Assigning ``artifact_silence_missing_run_warning`` sticks (and is restored)."""
    ln.settings.creation.artifact_silence_missing_run_warning = True
    try:
        return ln.settings.creation.artifact_silence_missing_run_warning
    finally:
        ln.settings.creation.artifact_silence_missing_run_warning = False


def scenario_creation_is_one_object(ln, ctx):
    """``ln.settings.creation`` is the same object on every access."""
    return ln.settings.creation is ln.settings.creation


def scenario_annotation_defaults(ln, ctx):
    """``ln.settings.annotation.n_max_records`` is 1000 by default."""
    return {
        "class": type(ln.settings.annotation).__name__,
        "n_max_records": ln.settings.annotation.n_max_records,
    }


def scenario_annotation_n_max_records_can_be_set(ln, ctx):
    """Assigning ``n_max_records`` sticks (and is restored)."""
    ln.settings.annotation.n_max_records = 10
    try:
        return ln.settings.annotation.n_max_records
    finally:
        ln.settings.annotation.n_max_records = 1000


def scenario_track_run_inputs_default(ln, ctx):
    """``ln.settings.track_run_inputs`` is True by default."""
    return ln.settings.track_run_inputs


def scenario_track_run_inputs_can_be_switched_off(ln, ctx):
    """Assigning ``track_run_inputs = False`` sticks (and is restored)."""
    ln.settings.track_run_inputs = False
    try:
        return ln.settings.track_run_inputs
    finally:
        ln.settings.track_run_inputs = True


def scenario_verbosity_names_read_back(ln, ctx):
    """Each level name set on ``ln.settings.verbosity`` reads back as itself."""
    seen = {}
    for level in LEVELS:
        ln.settings.verbosity = level
        seen[level] = ln.settings.verbosity
    return seen


def scenario_verbosity_numbers_select_levels(ln, ctx):
    """``ln.settings.verbosity = n`` selects the level at position n."""
    seen = {}
    for number in range(len(LEVELS)):
        ln.settings.verbosity = number
        seen[str(number)] = ln.settings.verbosity
    return seen


def scenario_verbosity_is_a_string(ln, ctx):
    """The verbosity reads back as a str."""
    return type(ln.settings.verbosity).__name__


def scenario_settings_has_lamindb_fields(ln, ctx):
    """``ln.settings`` offers the fields a LaminDB user reads."""
    names = ["annotation", "cache_dir", "creation", "storage", "track_run_inputs", "verbosity"]
    return [name for name in names if not hasattr(ln.settings, name)]


def scenario_setup_settings_dev_dir_is_a_folder(ln, ctx):
    """Without configuration, ``ln.setup.settings.dev_dir`` is an existing absolute folder.

    (lamindb reads the working directory once per process, the harness moves between
    scenario folders: comparing with ``os.getcwd()`` would test the harness.)
    """
    dev_dir = str(ln.setup.settings.dev_dir)
    return os.path.isabs(dev_dir) and os.path.isdir(dev_dir)


def scenario_setup_settings_has_lamindb_fields(ln, ctx):
    """``ln.setup.settings`` offers instance, storage, user, cache_dir, dev_dir."""
    names = ["cache_dir", "dev_dir", "instance", "storage", "user"]
    return [name for name in names if not hasattr(ln.setup.settings, name)]


def scenario_storage_root_is_a_folder(ln, ctx):
    """``ln.settings.storage.root`` is the default storage folder and exists."""
    return ln.settings.storage.root.exists()


def scenario_cache_dir_exists(ln, ctx):
    """``ln.settings.cache_dir`` exists."""
    return ln.settings.cache_dir.exists()
