"""The local page: from upload to results on the page, against `xlperf check` on the same 60-indicator workbook.

Run: python benchmarks/bench_app.py [INDICATORS] [REPEATS]

Measured in the same run, on the same file:
- `xlperf check FILE` as a user runs it (a new Python process each time: start-up, read, score, print);
- the page over HTTP: POST the file, follow the redirect, receive the results page (server already running);
- the page in headless Chromium (when chromium and chromedriver are installed): choose the file, click 评分,
  until the results table is on the screen.
Prints medians and the ratios page ÷ check. Not a test: nothing is asserted.
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "app"), str(ROOT / "benchmarks")]

import apphelpers  # noqa: E402
from bench_score import evaluation, median_time  # noqa: E402

from xlperf.workbook.builder import build_workbook  # noqa: E402


def main(n: int = 60, repeats: int = 7) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="bench-app-"))
    server = None
    driver = None
    try:
        path = tmp / "基准60项.xlsx"
        build_workbook("cz2020", evaluation(n), path)
        data = path.read_bytes()
        env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}

        def check():
            subprocess.run([sys.executable, "-m", "xlperf", "check", str(path)], capture_output=True, env=env, cwd=ROOT)

        server = apphelpers.start_server()

        def http_upload():
            status, _, html = apphelpers.post(server.url + "score", {}, [("file", path.name, data)])
            assert status == 200 and 'id="total"' in html

        check()
        http_upload()
        t_check = median_time(check, repeats)
        t_http = median_time(http_upload, repeats)
        print(f"{n} indicators, median of {repeats}:")
        print(f"  xlperf check (new process)     {t_check * 1000:8.1f} ms")
        print(f"  page over HTTP (upload→page)   {t_http * 1000:8.1f} ms   ratio {t_http / t_check:.2f}")
        if apphelpers.browser_available() is None:
            from selenium.webdriver.common.by import By
            from selenium.webdriver.support import expected_conditions as ec
            from selenium.webdriver.support.ui import WebDriverWait

            (tmp / "dl").mkdir()
            driver = apphelpers.start_browser(tmp / "profile", tmp / "dl")

            def browser_upload() -> float:
                driver.get(server.url)  # the empty page is open before the clock starts
                start = time.perf_counter()
                driver.find_element(By.ID, "file").send_keys(str(path))
                driver.find_element(By.ID, "score-submit").click()
                WebDriverWait(driver, 60, poll_frequency=0.01).until(ec.presence_of_element_located((By.CSS_SELECTOR, "#indicators tbody tr")))
                elapsed = time.perf_counter() - start
                own.append(driver.execute_script("return performance.getEntriesByType('navigation')[0].loadEventEnd") / 1000)
                return elapsed

            own: list[float] = []
            browser_upload()
            own.clear()
            t_browser = statistics.median(browser_upload() for _ in range(repeats))
            t_own = statistics.median(own)
            print(f"  page in Chromium (pick→table)  {t_browser * 1000:8.1f} ms   ratio {t_browser / t_check:.2f}   (WebDriver round trips included)")
            print(f"  Chromium's own timing          {t_own * 1000:8.1f} ms   ratio {t_own / t_check:.2f}   (click → results page loaded, Navigation Timing)")
        else:
            print(f"  page in Chromium: skipped ({apphelpers.browser_available()})")
    finally:
        if driver is not None:
            driver.quit()
        if server is not None:
            server.stop()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:3]))
