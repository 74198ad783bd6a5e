"""Regenerate the sample logs in data/logs from the model (see governor.io.samples).

    python data/make_samples.py

The output is deterministic: running it again rewrites the same bytes.
"""

from pathlib import Path

from governor.io.samples import make_sample_logs

if __name__ == "__main__":
    out = Path(__file__).resolve().parent / "logs"
    for path in make_sample_logs(out):
        print(path.relative_to(out.parent.parent))
