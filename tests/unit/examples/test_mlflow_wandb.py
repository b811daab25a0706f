"""ln.examples.mlflow and ln.examples.wandb: Feature types for experiment trackers' run metadata."""


def test_mlflow_features_under_their_type(ln):
    ln.examples.mlflow.save_mlflow_features()
    names = ln.Feature.filter(type__name="MLflow").to_list("name")
    assert len(names) == 10
    assert "mlflow_artifact_uri" in names


def test_mlflow_times_are_int(ln):
    ln.examples.mlflow.save_mlflow_features()
    assert ln.Feature.get(name="mlflow_end_time").dtype == "int"


def test_wandb_timestamp_and_runtime_are_float(ln):
    ln.examples.wandb.save_wandb_features()
    assert [ln.Feature.get(name=n).dtype for n in ("wandb_timestamp", "wandb_runtime")] == [
        "float",
        "float",
    ]


def test_saving_twice_creates_nothing_new(ln):
    ln.examples.wandb.save_wandb_features()
    ln.examples.wandb.save_wandb_features()
    assert ln.Feature.filter(type__name="Weights & Biases").count() == 11
    assert ln.Feature.filter(name="Weights & Biases", is_type=True).count() == 1
