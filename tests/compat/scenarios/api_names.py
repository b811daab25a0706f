"""Names a LaminDB user imports: ``ln.errors``, ``ln.core``, ``ln.UPath``, ``lamindb.models``."""

from __future__ import annotations

# lamindb.errors in 2.12.1: every exception class it defines.
ERROR_NAMES = [
    "BlobHashNotFound",
    "BranchAlreadyExists",
    "DoesNotExist",
    "FieldValidationError",
    "FileNotInDevDir",
    "InconsistentKey",
    "IntegrityError",
    "InvalidArgument",
    "MissingContextUID",
    "MultipleObjectsReturned",
    "MultipleResultsFound",
    "NoStorageLocationForSpace",
    "NoWriteAccess",
    "NotebookNotSaved",
    "ObjectDoesNotExist",
    "TrackNotCalled",
    "UnknownStorageLocation",
    "UpdateContext",
    "ValidationError",
]

# The classes on the lamindb.models reference page.
MODEL_NAMES = [
    "ArtifactArtifact",
    "ArtifactBlock",
    "ArtifactJsonValue",
    "ArtifactProject",
    "ArtifactRecord",
    "ArtifactReference",
    "ArtifactRun",
    "ArtifactSchema",
    "ArtifactULabel",
    "ArtifactUser",
    "BaseBlock",
    "BaseSQLRecord",
    "Block",
    "BlockProject",
    "BranchBlock",
    "CanCurate",
    "CollectionArtifact",
    "CollectionBlock",
    "CollectionProject",
    "CollectionRecord",
    "CollectionReference",
    "CollectionULabel",
    "FeatureBlock",
    "FeatureManager",
    "FeatureProject",
    "HasParents",
    "HasType",
    "InspectResult",
    "IsVersioned",
    "JsonValue",
    "LabelManager",
    "LazyArtifact",
    "ProjectBlock",
    "ProjectRecord",
    "QueryManager",
    "QuerySet",
    "RecordArtifact",
    "RecordBlock",
    "RecordCollection",
    "RecordJson",
    "RecordProject",
    "RecordRecord",
    "RecordReference",
    "RecordRun",
    "RecordTransform",
    "RecordULabel",
    "RecordUser",
    "ReferenceRecord",
    "Registry",
    "RelatedManager",
    "RunBlock",
    "RunJsonValue",
    "RunProject",
    "RunRecord",
    "RunULabel",
    "SQLRecord",
    "SchemaBlock",
    "SchemaComponent",
    "SchemaFeature",
    "SchemaOptionals",
    "SchemaProject",
    "SpaceBlock",
    "TracksRun",
    "TracksUpdates",
    "TransformBlock",
    "TransformProject",
    "TransformRecord",
    "TransformReference",
    "TransformTransform",
    "TransformULabel",
    "ULabelBlock",
    "ULabelProject",
    "ValidateFields",
]


def scenario_errors_every_lamindb_name_is_an_exception_class(ln, ctx):
    """Each of lamindb.errors' names is an exception class in ``ln.errors``.

    (One scenario, not one per name generated in a loop: the harness finds scenarios by
    reading ``def scenario_*`` in the file, so generated ones would never run.)
    """
    out = {}
    for name in ERROR_NAMES:
        cls = getattr(ln.errors, name, None)
        out[name] = isinstance(cls, type) and issubclass(cls, Exception)
    return out


def scenario_errors_core_exceptions_are_the_errors(ln, ctx):
    """``lamindb.core.exceptions`` holds the same classes as ``ln.errors``."""
    import importlib
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # lamindb marks core.exceptions deprecated
        module = importlib.import_module(f"{ln.__name__}.core.exceptions")
    return {
        name: getattr(module, name) is getattr(ln.errors, name)
        for name in ["DoesNotExist", "ValidationError", "InvalidArgument"]
    }


def scenario_errors_get_missing_is_does_not_exist(ln, ctx):
    """``get`` of a missing record raises something ``ln.errors.DoesNotExist`` catches."""
    try:
        ln.ULabel.get(name="no such label")
    except ln.errors.DoesNotExist:
        return "caught"
    return "not raised"


def scenario_errors_get_missing_is_object_does_not_exist(ln, ctx):
    """... and ``ln.errors.ObjectDoesNotExist`` catches it too."""
    try:
        ln.ULabel.get(name="no such label")
    except ln.errors.ObjectDoesNotExist:
        return "caught"
    return "not raised"


def scenario_models_every_reference_class_importable(ln, ctx):
    """Every class on the lamindb.models reference page is an attribute of ``ln.models``."""
    return [name for name in MODEL_NAMES if not hasattr(ln.models, name)]


def scenario_models_basic_queryset(ln, ctx):
    """``BasicQuerySet`` exists, and a QuerySet is one."""
    return {
        "has": hasattr(ln.models, "BasicQuerySet"),
        "is": isinstance(ln.ULabel.filter(), ln.models.BasicQuerySet),
    }


def scenario_models_registries_are_registry_instances(ln, ctx):
    """Registries are instances of the ``Registry`` metaclass."""
    return [
        isinstance(getattr(ln, name), ln.models.Registry)
        for name in ["Artifact", "ULabel", "Record", "Run"]
    ]


def scenario_models_sqlrecord_is_a_basesqlrecord(ln, ctx):
    """``SQLRecord`` derives from ``BaseSQLRecord``; every registry from ``SQLRecord``."""
    return {
        "sqlrecord": issubclass(ln.models.SQLRecord, ln.models.BaseSQLRecord),
        "artifact": issubclass(ln.Artifact, ln.models.SQLRecord),
        "ulabel": issubclass(ln.ULabel, ln.models.SQLRecord),
    }


def scenario_models_blocks_derive_from_baseblock(ln, ctx):
    """Every block registry derives from ``BaseBlock``."""
    names = ["Block", "ArtifactBlock", "RecordBlock", "ProjectBlock", "RunBlock"]
    return [issubclass(getattr(ln.models, name), ln.models.BaseBlock) for name in names]


def scenario_models_registries_are_the_top_level_names(ln, ctx):
    """``ln.models.Artifact`` is ``ln.Artifact`` (and so for the other registries)."""
    names = [
        "Artifact",
        "Collection",
        "Feature",
        "Record",
        "Run",
        "Schema",
        "Transform",
        "ULabel",
        "Project",
    ]
    return [getattr(ln.models, name) is getattr(ln, name) for name in names]


def scenario_models_features_is_a_feature_manager(ln, ctx):
    """``artifact.features`` is a ``FeatureManager``."""
    path = ctx.tmp / "a.txt"
    path.write_text("a")
    artifact = ln.Artifact(path, key="a.txt").save()
    return isinstance(artifact.features, ln.models.FeatureManager)


def scenario_models_labels_is_a_label_manager(ln, ctx):
    """``artifact.labels`` is a ``LabelManager``."""
    path = ctx.tmp / "a.txt"
    path.write_text("a")
    artifact = ln.Artifact(path, key="a.txt").save()
    return isinstance(artifact.labels, ln.models.LabelManager)


def scenario_upath_local_path(ln, ctx):
    """``ln.UPath`` wraps a local path: name, suffix, exists."""
    path = ctx.tmp / "x.csv"
    path.write_text("a\n")
    upath = ln.UPath(str(path))
    return {"name": upath.name, "suffix": upath.suffix, "exists": upath.exists()}


def scenario_upath_memory_protocol(ln, ctx):
    """``ln.UPath("memory://...")`` has the memory protocol."""
    return ln.UPath("memory://bucket/x.txt").protocol


def scenario_core_storage_upath(ln, ctx):
    """``ln.core.storage.UPath`` is ``ln.UPath``."""
    return ln.core.storage.UPath is ln.UPath


def scenario_core_has_its_submodules(ln, ctx):
    """``ln.core`` offers ``exceptions`` and ``storage``."""
    return {name: hasattr(ln.core, name) for name in ["exceptions", "storage"]}


def scenario_core_datasets_is_the_examples_datasets(ln, ctx):
    """``ln.core.datasets`` is ``ln.examples.datasets`` (needs lamin_lab.examples, issue #9)."""
    return ln.core.datasets is ln.examples.datasets


def scenario_top_level_names(ln, ctx):
    """The public names both packages share at the top level."""
    names = [
        "Artifact",
        "Branch",
        "Collection",
        "Feature",
        "Project",
        "Q",
        "Record",
        "Reference",
        "Run",
        "Schema",
        "Space",
        "Storage",
        "Transform",
        "ULabel",
        "UPath",
        "User",
        "context",
        "core",
        "curators",
        "errors",
        "finish",
        "models",
        "save",
        "settings",
        "setup",
        "track",
    ]
    return [name for name in names if not hasattr(ln, name)]


def scenario_auto_key_prefix_names_where_content_lives(ln, ctx):
    """``ln.core.storage.paths.AUTO_KEY_PREFIX`` + uid + suffix is the content's path in the root."""
    path = ctx.tmp / "a.csv"
    path.write_text("a\n1\n")
    artifact = ln.Artifact(path, key="a.csv").save()
    prefix = ln.core.storage.paths.AUTO_KEY_PREFIX
    root = ln.settings.storage.root
    return {
        "prefix": prefix,
        "exists": (root / f"{prefix}{artifact.uid}{artifact.suffix}").exists(),
    }
