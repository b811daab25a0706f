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
