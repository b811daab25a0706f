"""Step 1: simulate raw counts of a small experiment and register them."""

import lamin_lab as ln
import pandas as pd

ln.track(params={"n_cells": 8, "genes": ["CD3E", "CD19", "LYZ"]})

counts = pd.DataFrame(
    {
        "cell": [f"cell_{i}" for i in range(8)],
        "CD3E": [9, 0, 7, 1, 0, 8, 0, 2],
        "CD19": [0, 6, 0, 0, 7, 1, 0, 0],
        "LYZ": [1, 0, 0, 12, 0, 0, 10, 0],
    }
)
raw = ln.Artifact.from_dataframe(counts, key="demo/raw_counts.parquet", description="raw counts").save()
print(f"saved {raw.key}: {len(counts)} cells")

ln.finish()
