"""The suffix an artifact records for a path, by LaminDB's rule (``CanonicalSuffix``).

Only suffixes of known formats are recorded (lower-cased): ``.TXT`` gives ``.txt``, an
unknown ``.abcdef`` or a counter like ``.2`` gives ``""``. Composite store formats win
over their last part (``.ome.zarr``), a compression suffix keeps the format before it
(``.csv.gz``, ``.h5ad.tar.gz``). Besides the recorded (canonical) suffix the rule gives a
raw one, the lower-cased last part for an unknown format: keys are checked against it.

These tables are data, in one place: extend them to teach artifacts a format.

Examples
--------
>>> artifact_suffix("reads.FASTQ.gz"), artifact_suffix("x.v1.2"), artifact_suffix("a.abcdef")
(('.fastq.gz', '.fastq.gz'), ('', '.2'), ('', '.abcdef'))
"""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any

#: single suffixes of known formats (the MIME registry's and common scientific ones)
SIMPLE_FORMATS: set[str] = set(
    """
    .3g2 .3gp .3gpp .3gpp2 .7z .a .aac .adts .ai .aif .aifc .aiff .arrow .ass .au .avi .avif
    .avro .bam .bat .bcf .bcpio .bed .bedgraph .bigwig .bin .bmp .bw .c .cdf .ckpt .cpio .cram
    .csh .css .csv .czi .data .db .dcm .dll .doc .dot .duckdb .dvi .embl .eml .eps .etx .exe .fa
    .fasta .fastq .fcs .feather .gb .genbank .gff .gff3 .gguf .gif .gtar .gtf .h .h5 .h5ad .h5mu
    .hdf .hdf5 .heic .heif .htm .html .ico .ief .ipynb .joblib .jpe .jpeg .jpg .js .json .jsonl
    .keras .ksh .latex .lif .loas .loom .m1v .m3u .m3u8 .man .mar .markdown .md .me .mht .mhtml
    .mid .midi .mif .mjs .mlmodel .model .mov .movie .mp2 .mp3 .mp4 .mpa .mpe .mpeg .mpg .ms
    .mtx .n3 .nc .nd2 .ndjson .newick .npy .npz .nq .nt .nwk .nws .o .obj .obo .oda .onnx .opus
    .orc .p12 .p7c .parquet .pb .pbm .pbtxt .pct .pdf .pfx .pgm .pic .pickle .pict .pkl .pl .png
    .pnm .pot .ppa .ppm .pps .ppt .ps .pt .pth .pwz .py .pyc .pyo .qs .qt .ra .ram .rar .ras
    .rdf .rds .rgb .roff .rtf .rtx .safetensors .sam .savedmodel .sgm .sgml .sh .shar .snd .so
    .soma .sqlite .src .srt .state_dict .sv4cpio .sv4crc .svg .svs .swf .t .tar .tcl .tex .texi
    .texinfo .tflite .tif .tiff .tiledb .tiledbsoma .tr .trig .tsv .txt .ustar .vcf .vtt .wasm
    .wav .webm .webmanifest .webp .wiz .wsdl .xbm .xlb .xls .xlsx .xml .xpdl .xpm .xsl .xul .xwd
    .yaml .yml .zarr .zip
    """.split()
) | {".ipc"}  # lamin_lab writes DataFrames as .ipc (format="ipc"), so it records that suffix too

#: formats named by two parts, recognised wherever a name ends with them
COMPOSITE_FORMATS: set[str] = {
    ".anndata.zarr",
    ".vitessce.json",
    ".ome.zarr",
    ".ome.h5",
    ".ome.hdf5",
}

#: stream encodings appended to another suffix (``.csv.gz``, ``.tar.xz``)
ENCODING_FORMATS: set[str] = {".gz", ".bz2", ".xz", ".zst"}


def artifact_suffix(path: Any) -> tuple[str, str]:
    """(recorded suffix, raw suffix) of a file or folder name, lower-cased.

    The recorded suffix is ``""`` for a name without a known format; the raw suffix is
    then its last part (``""`` without any).

    Examples
    --------
    >>> artifact_suffix("img.PNG"), artifact_suffix("x.h5ad.tar.gz"), artifact_suffix("f.random.gz")
    (('.png', '.png'), ('.h5ad.tar.gz', '.h5ad.tar.gz'), ('.gz', '.gz'))
    >>> artifact_suffix("s.OME.ZARR"), artifact_suffix("k.spatialdata.zarr"), artifact_suffix("README")
    (('.ome.zarr', '.ome.zarr'), ('.zarr', '.zarr'), ('', ''))
    """
    name = PurePosixPath(str(path).rstrip("/")).name
    parts = [s.lower() for s in PurePosixPath(name).suffixes]
    last = parts[-1] if parts else ""
    whole = "".join(parts)
    if len(parts) < 2:
        known = whole in SIMPLE_FORMATS or whole in ENCODING_FORMATS
        return (whole, whole) if known else ("", last)
    composite = next((c for c in COMPOSITE_FORMATS if whole.endswith(c)), None)
    if composite is not None:
        return composite, composite
    if last in SIMPLE_FORMATS:
        return last, last
    if last in ENCODING_FORMATS:
        return _encoded(parts)
    return "", last


def _encoded(parts: list[str]) -> tuple[str, str]:
    """A compression suffix and the format it compresses (``.csv.gz``, ``.h5ad.tar.gz``)."""
    pair = "".join(parts[-2:])
    if parts[-2] == ".tar":
        if len(parts) > 2 and parts[-3] in SIMPLE_FORMATS:
            return parts[-3] + pair, parts[-3] + pair
        return pair, pair
    if parts[-2] in SIMPLE_FORMATS:
        return pair, pair
    return parts[-1], parts[-1]


def key_raw_suffix(key: str) -> str:
    """The raw suffix of a key, compared with the data's to check that they agree.

    Examples
    --------
    >>> key_raw_suffix("raw/Sample.CSV"), key_raw_suffix("raw/x.v1.2"), key_raw_suffix("raw/x")
    ('.csv', '.2', '')
    """
    return artifact_suffix(key)[1]


__all__ = ["COMPOSITE_FORMATS", "ENCODING_FORMATS", "SIMPLE_FORMATS", "artifact_suffix"]
