"""Where the sample import files of DESIGN §5 live: `shared/samples` beside the checkout when it is
there (the independently computed originals), else the copy in tests/data/samples."""

from pathlib import Path

_ROOT = Path(__file__).resolve().parent.parent
SHARED_SAMPLES = _ROOT.parent / "shared" / "samples"
SAMPLES = (
    SHARED_SAMPLES
    if (SHARED_SAMPLES / "expected.json").exists()
    else (_ROOT / "tests" / "data" / "samples")
)
