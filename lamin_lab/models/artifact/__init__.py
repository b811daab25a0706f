"""The Artifact registry, split by responsibility.

- ``registry``: the ``Artifact`` class (fields, constructors, methods)
- ``create``: building an artifact from a path, a DataFrame or an AnnData (fields, otype, keys)
- ``folder``: artifacts made from the files of a folder (``from_dir``) and ``from_lazy``
- ``io``: paths, cache, load and open of an artifact's content
- ``replace``: ``replace()``, swapping in new content
- ``save``: saving one or many artifacts atomically, and deleting them
- ``artifact_set``: ``ArtifactSet``, what a query of artifacts can load, open and map
"""
