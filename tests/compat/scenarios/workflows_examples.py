"""ln.examples: the mini immuno datasets of LaminDB's guides."""


def scenario_mini_immuno_dataset1_dataframe(ln, ctx):
    """get_dataset1() is a 3x12 DataFrame with the study metadata in attrs."""
    df = ln.examples.datasets.mini_immuno.get_dataset1()
    return {"df": ctx.df(df), "attrs": {k: str(v) for k, v in df.attrs.items()}}


def scenario_mini_immuno_dataset2_anndata(ln, ctx):
    """get_dataset2(otype="AnnData") has the genes in X, metadata in obs and uns."""
    adata = ln.examples.datasets.mini_immuno.get_dataset2(otype="AnnData")
    return {
        "shape": list(adata.shape),
        "var_names": adata.var_names.tolist(),
        "obs": ctx.df(adata.obs),
        "uns": {k: str(v) for k, v in adata.uns.items()},
    }


def scenario_small_dataset1_2_are_the_mini_immuno_datasets(ln, ctx):
    """small_dataset1/2 are older names of mini_immuno.get_dataset1/2, also under ln.core.datasets."""
    # Names and values, not identity: lamindb re-executes mini_immuno on some attribute accesses,
    # so whether `small_dataset1 is mini_immuno.get_dataset1` depends on what ran before.
    datasets = ln.examples.datasets
    return {
        "names": [datasets.small_dataset1.__name__, datasets.small_dataset2.__name__],
        "core_name": ln.core.datasets.small_dataset1.__name__,
        "core_is_examples": ln.core.datasets is ln.examples.datasets,
        "df": ctx.df(datasets.small_dataset2()),
        "same_as_get_dataset1": datasets.small_dataset1().equals(
            datasets.mini_immuno.get_dataset1()
        ),
    }


def scenario_core_datasets_mini_immuno_anndata(ln, ctx):
    """ln.core.datasets.mini_immuno.get_dataset1(otype="AnnData") as in older guides."""
    adata = ln.core.datasets.mini_immuno.get_dataset1(otype="AnnData", gene_symbols_in_index=True)
    return {
        "shape": list(adata.shape),
        "var_names": adata.var_names.tolist(),
        "obs": ctx.df(adata.obs),
    }


def scenario_small_dataset3_cellxgene_anndata(ln, ctx):
    """small_dataset3_cellxgene() is a 3x3 AnnData with CELLxGENE's obs columns, raw, obsm and uns."""
    adata = ln.examples.datasets.small_dataset3_cellxgene()
    return {
        "shape": list(adata.shape),
        "X_dtype": str(adata.X.dtype),
        "X": adata.X.tolist(),
        "obs": ctx.df(adata.obs),
        "var": ctx.df(adata.var),
        "raw_shape": list(adata.raw.shape),
        "raw_var_columns": adata.raw.var.columns.tolist(),
        "obsm": {k: [list(v.shape), str(v.dtype)] for k, v in adata.obsm.items()},
        "uns": {k: str(v) for k, v in adata.uns.items()},
    }


def scenario_small_dataset3_cellxgene_dataframe(ln, ctx):
    """small_dataset3_cellxgene(otype="DataFrame") puts the float32 counts beside the obs columns."""
    return ctx.df(ln.examples.datasets.small_dataset3_cellxgene(otype="DataFrame"))


def scenario_small_dataset3_cellxgene_flags(ln, ctx):
    """The flags add CELLxGENE defaults, move the organism to uns and introduce typos."""
    adata = ln.examples.datasets.small_dataset3_cellxgene(
        with_obs_defaults=True, with_uns_organism=True, with_var_typo=True, with_obs_typo=True
    )
    return {
        "var_names": adata.var_names.tolist(),
        "obs": ctx.df(adata.obs),
        "uns": {k: str(v) for k, v in adata.uns.items()},
    }


def scenario_mock_files_in_working_directory(ln, ctx):
    """file_fastq/file_bam/file_mini_csv write small files into the working directory."""
    observed = {}
    for helper in ("file_fastq", "file_bam", "file_mini_csv"):
        path = getattr(ln.examples.datasets, helper)()
        observed[helper] = {
            "name": path.name,
            "absolute": path.is_absolute(),
            "size": path.stat().st_size,
            "lines": path.read_text().splitlines(),
        }
        path.unlink()
    return observed


def scenario_mock_files_in_storage_root(ln, ctx):
    """in_storage_root=True writes the mock files into the storage root, to register them in place."""
    root = ln.settings.storage.root
    observed = {}
    for helper in ("file_fastq", "file_bam", "file_mini_csv"):
        path = getattr(ln.examples.datasets, helper)(in_storage_root=True)
        observed[helper] = {
            "name": path.name,
            "in_root": str(path.parent) == str(root),
            "size": path.stat().st_size,
        }
    artifact = ln.Artifact(ln.examples.datasets.file_mini_csv(in_storage_root=True)).save()
    observed["registered_key"] = artifact.key
    return observed


def scenario_dir_scrnaseq_cellranger_layout(ln, ctx):
    """dir_scrnaseq_cellranger writes Cell Ranger's output layout, 6 random characters per file."""
    sample = ln.examples.datasets.dir_scrnaseq_cellranger("perturbseq", basedir=ctx.tmp)
    files = sorted(p.relative_to(sample).as_posix() for p in sample.rglob("*") if p.is_file())
    folders = sorted(p.relative_to(sample).as_posix() for p in sample.rglob("*") if p.is_dir())
    return {
        "name": sample.name,
        "parent_is_basedir": sample.parent == ctx.tmp,
        "files": files,
        "folders": folders,
        "sizes": sorted({(sample / f).stat().st_size for f in files}),
    }


def scenario_dir_scrnaseq_cellranger_with_fastqs(ln, ctx):
    """output_only=False also writes the two input reads into <basedir>/fastq."""
    ln.examples.datasets.dir_scrnaseq_cellranger("s1", basedir=ctx.tmp, output_only=False)
    fastqs = sorted(p.name for p in (ctx.tmp / "fastq").iterdir())
    artifact = ln.Artifact(ctx.tmp / "s1", key="cellranger/s1").save()
    return {
        "fastqs": fastqs,
        "n_files": artifact.n_files,
        "top": sorted(p.name for p in ctx.tmp.iterdir()),
    }


def scenario_dict_cellxgene_uns_values(ln, ctx):
    """dict_cellxgene_uns() is a CELLxGENE .uns with the organism and two spatial libraries."""
    return ln.examples.datasets.dict_cellxgene_uns()


def scenario_schemas_valid_features(ln, ctx):
    """schemas.valid_features() saves one schema of itype Feature, the same on a second call.

    It also warns that it is deprecated.
    """
    import warnings

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        first = ln.examples.schemas.valid_features()
        second = ln.examples.schemas.valid_features()
    return {
        "name": first.name,
        "itype": first.itype,
        "same": first == second,
        "count": ln.Schema.filter(name="valid_features").count(),
        "deprecation_warned": any(issubclass(w.category, DeprecationWarning) for w in caught),
    }


def scenario_mini_immuno_define_features_labels(ln, ctx):
    """define_features_labels() registers the Perturbations labels and the ImmunoSamples features."""
    try:
        ln.examples.datasets.mini_immuno.define_features_labels()
        error = None
    except Exception as e:  # lamindb needs the bionty module for the cell-type labels
        error = type(e).__name__
    records = ln.Record.filter(type__name="Perturbations").order_by("name")
    features = ln.Feature.filter(type__name="ImmunoSamples").order_by("name")
    return {
        "error": error,
        "perturbations": [r.name for r in records],
        "features": [(f.name, f.dtype) for f in features],
    }


def scenario_schemas_anndata_ensembl_gene_ids(ln, ctx):
    """The AnnData example schema validates genes with bionty's Gene registry."""
    return ln.examples.schemas.anndata_ensembl_gene_ids_and_valid_features_in_obs()


def _mini_immuno_features_without_bionty(ln):
    # The part of define_features_labels that needs no bionty, so both backends can run it.
    perturbations = ln.Record(name="Perturbations", is_type=True).save()
    ln.Record(name="DMSO", type=perturbations).save()
    ln.Record(name="IFNG", type=perturbations).save()
    samples = ln.Feature(name="ImmunoSamples", is_type=True).save()
    return [
        ln.Feature(name="perturbation", dtype=perturbations, type=samples).save(),
        ln.Feature(name="concentration", dtype=str, type=samples).save(),
        ln.Feature(name="treatment_time_h", dtype="num", coerce=True, type=samples).save(),
        ln.Feature(name="donor", dtype=str, nullable=True, type=samples).save(),
    ]


def scenario_mini_immuno_dataset1_validates_with_its_features(ln, ctx):
    """dataset1 validates against its features, the nullable donor column (one None) included."""
    schema = ln.Schema(
        name="mini_immuno_no_bionty", features=_mini_immuno_features_without_bionty(ln)
    ).save()
    df = ln.examples.datasets.mini_immuno.get_dataset1()
    try:
        ln.curators.DataFrameCurator(df, schema).validate()
        return {"valid": True}
    except Exception as e:
        return {"valid": False, "error": type(e).__name__}


def scenario_mini_immuno_dataset1_typo_is_reported(ln, ctx):
    """with_typo=True gives the perturbation 'IFNJ', which validation reports by name."""
    features = _mini_immuno_features_without_bionty(ln)
    schema = ln.Schema(name="mini_immuno_perturbation", features=features[:1]).save()
    df = ln.examples.datasets.mini_immuno.get_dataset1(with_typo=True)
    try:
        ln.curators.DataFrameCurator(df, schema).validate()
        return {"valid": True}
    except Exception as e:
        return {"valid": False, "error": type(e).__name__, "names_typo": "IFNJ" in str(e)}


def scenario_mini_immuno_donor_ethnicity_list_column(ln, ctx):
    """The list-valued donor_ethnicity column of dataset1 validates against a list[cat] feature."""
    ethnicity = ln.Record(name="Ethnicity", is_type=True).save()
    for name in ("Chinese", "Singaporean Chinese", "Han Chinese"):
        ln.Record(name=name, type=ethnicity).save()
    feature = ln.Feature(name="donor_ethnicity", dtype=list[ethnicity]).save()
    schema = ln.Schema(name="mini_immuno_ethnicity", features=[feature]).save()
    df = ln.examples.datasets.mini_immuno.get_dataset1()
    try:
        ln.curators.DataFrameCurator(df, schema).validate()
        return {"valid": True}
    except Exception as e:
        return {"valid": False, "error": type(e).__name__}


def scenario_mini_immuno_schema_flexible(ln, ctx):
    """define_mini_immuno_schema_flexible() saves the flexible mini_immuno schema with 3 required features."""
    try:
        schema = ln.examples.datasets.mini_immuno.define_mini_immuno_schema_flexible()
        observed = {"name": schema.name, "n_required": len(schema.features.all())}
    except Exception as e:
        observed = {"error": type(e).__name__}
    observed["schemas_named_mini_immuno"] = ln.Schema.filter(name="mini_immuno").count()
    return observed


def scenario_fake_bio_notebook_titles(ln, ctx):
    """fake_bio_notebook_titles(n=5) gives five capitalised sentences."""
    titles = ln.examples.datasets.fake_bio_notebook_titles(n=5)
    return {"n": len(titles), "sentences": all(t[0].isupper() and t.endswith(".") for t in titles)}


def scenario_mlflow_features(ln, ctx):
    """ln.examples.mlflow.save_mlflow_features() saves the MLflow feature type with ten features."""
    ln.examples.mlflow.save_mlflow_features()
    features = ln.Feature.filter(type__name="MLflow").order_by("name")
    return {
        "type_is_type": ln.Feature.get(name="MLflow").is_type,
        "features": [(f.name, f.dtype) for f in features],
    }


def scenario_wandb_features(ln, ctx):
    """ln.examples.wandb.save_wandb_features() saves the Weights & Biases feature type with eleven features."""
    ln.examples.wandb.save_wandb_features()
    features = ln.Feature.filter(type__name="Weights & Biases").order_by("name")
    return {"features": [(f.name, f.dtype) for f in features]}
