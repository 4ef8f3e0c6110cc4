"""Full-page screenshots of every registered page in Chromium, to look at before a release.

    python scripts/screenshots.py [--out screenshots/] [--lang en|zh] [--port N]

Starts `streamlit run explorer_app.py` on a free port, visits each page of explorer_app.py's registry once
(waits for the script to finish and the charts to draw, 2 s more where a chart animates), saves
<out>/<url-path>.png, and prints per page the load time, console errors, exceptions and charts that
drew nothing or text cut short. Exits 1 when any page had one of those.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.app_registry import pages  # noqa: E402
from tests.e2e import browser_missing, launch, serve, visit  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "screenshots", help="folder for the PNGs")
    parser.add_argument("--lang", choices=("en", "zh"), default="en", help="the app's language")
    parser.add_argument("--port", type=int, default=None, help="server port (default: a free one)")
    args = parser.parse_args()

    reason = browser_missing()
    if reason is not None:
        print(f"cannot take screenshots: {reason}", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    args.out.mkdir(parents=True, exist_ok=True)
    problems = 0
    with sync_playwright() as playwright, serve(args.port) as base:
        browser = launch(playwright)
        try:
            for page in pages():
                path = args.out / f"{page.url_path}.png"
                seen = visit(browser, base, page, screenshot=path, query=f"lang={args.lang}")
                blank = [c["index"] for c in seen.charts if c["visible"] and c["marks"] == 0]
                print(f"{page.url_path:<24} {seen.seconds:5.1f} s  {len(seen.charts)} charts  -> {path}")
                for line in seen.console_errors:
                    print(f"    console error: {line}")
                for line in seen.exceptions:
                    print(f"    exception: {line}")
                if blank:
                    print(f"    charts without marks: {blank}")
                cut = [(c["index"], text) for c in seen.charts if c["visible"] for text in c["cut"]]
                for index, text in cut:
                    print(f"    chart {index}: text cut short: {text!r}")
                problems += len(seen.console_errors) + len(seen.exceptions) + len(blank) + len(cut)
        finally:
            browser.close()
    print(f"{problems} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
