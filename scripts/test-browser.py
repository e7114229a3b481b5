#!/usr/bin/env python3
"""The newsroom page in a real browser: Debian's chromium + chromium-driver, driven by selenium.

Starts `copydesk-serve` (the shipped model, an evaluation report of corpora/newsroom) on a free
loopback port, pastes the founding page (../shared/seeds, or a story of corpora/newsroom when the
shared folder is absent), submits it with the keyboard, checks what the page shows, saves
screenshots at desktop and phone width, checks the report view and that the browser logged no
error. Stops the service itself.

usage: scripts/test-browser.py BUILD_DIR OUT_DIR      (BUILD_DIR holds copydesk and copydesk-serve)
"""
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SEED = os.path.join(ROOT, "..", "shared", "seeds", "000_e2265488d5187a01.txt")
SAMPLE = os.path.join(ROOT, "corpora", "newsroom", "local", "02-water-main-break.txt")


def fail(message):
    print(f"test-browser: FAILED: {message}", file=sys.stderr)
    sys.exit(1)


def start_service(build, out):
    model = os.path.join(ROOT, "models", "sections.cdm")
    report = os.path.join(out, "report.html")
    subprocess.run([os.path.join(build, "copydesk"), "report", "--model", model, "--corpus",
                    os.path.join(ROOT, "corpora", "newsroom"), "--desk", os.path.join(ROOT, "corpora", "desks", "newsroom.json"),
                    "--output", report], check=True, stdout=subprocess.DEVNULL)
    log = open(os.path.join(out, "service.log"), "w")
    server = subprocess.Popen([os.path.join(build, "copydesk-serve"), "--model", model, "--port", "0", "--report", report,
                               "--desk", os.path.join(ROOT, "corpora", "desks", "everett.json")],
                              stdout=subprocess.PIPE, stderr=log, text=True)
    deadline = time.time() + 30
    while time.time() < deadline:
        line = server.stdout.readline()
        m = re.search(r"listening on (http://\S+)", line or "")
        if m:
            return server, m.group(1)
        if server.poll() is not None:
            break
    server.kill()
    fail("the service did not start (see service.log)")


def main():
    if len(sys.argv) != 3:
        fail(__doc__)
    build, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    story = open(SEED if os.path.exists(SEED) else SAMPLE, encoding="utf-8").read()
    server, url = start_service(build, out)
    driver = None
    try:
        options = Options()
        for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                     "--proxy-server=127.0.0.1:9", "--window-size=1280,1600"):
            options.add_argument(flag)
        options.binary_location = "/usr/bin/chromium"
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
        driver.set_page_load_timeout(30)
        driver.get(url + "/")
        wait = WebDriverWait(driver, 30)
        wait.until(lambda d: "Model" in d.find_element(By.ID, "model-line").text)

        # Paste the story (as a clipboard paste would fill the box) and submit with Ctrl+Enter.
        box = driver.find_element(By.ID, "article")
        driver.execute_script("arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input'));", box, story)
        box.send_keys(Keys.CONTROL, Keys.ENTER)
        wait.until(EC.visibility_of_element_located((By.ID, "results")))
        label = driver.find_element(By.ID, "label").text.strip()
        lede = driver.find_element(By.ID, "lede").text.strip()
        teaser = driver.find_element(By.ID, "teaser").text.strip()
        count = driver.find_element(By.ID, "teaser-count").text
        bars = driver.find_elements(By.CSS_SELECTOR, "#bars li")
        marks = driver.find_elements(By.CSS_SELECTOR, "#body mark")
        terms = driver.find_elements(By.CSS_SELECTOR, "#terms li")
        shown = {"label": label, "lede": lede, "teaser": teaser, "teaser_count": count, "bars": len(bars),
                 "highlighted_sentences": len(marks), "terms": len(terms)}
        print(json.dumps(shown, ensure_ascii=False, indent=1))
        if not label:
            fail("no section shown")
        if len(bars) != 7:
            fail(f"{len(bars)} probability bars, expected 7")
        if not lede or not teaser:
            fail("no lede or teaser shown")
        n = int(count.split("/")[0])
        if n > 200 or n != len(teaser):
            fail(f"teaser count '{count}' does not match a teaser of {len(teaser)} characters within 200")
        if not marks:
            fail("no summary sentence highlighted in the body")
        if os.path.exists(SEED):
            # The founding page: a wire story from abroad, and the lede without its dateline.
            desk = json.load(open(os.path.join(ROOT, "corpora", "desks", "everett.json")))
            expected = desk.get("sections", {}).get("international", "international")
            if label != expected:
                fail(f"the founding page's wire story was routed to {label}, not {expected}")
            if re.match(r"^[A-Z][A-Z .,'-]+ [—-] ", lede):
                fail(f"the lede keeps its dateline: {lede[:60]}")
        # Tall enough to show the whole answer, the highlighted story included.
        height = driver.execute_script("return document.documentElement.scrollHeight")
        driver.set_window_size(1280, min(max(height, 1600), 4000))
        time.sleep(0.3)
        driver.save_screenshot(os.path.join(out, "page-desktop.png"))

        driver.set_window_size(390, 1400)
        time.sleep(0.3)
        width = driver.execute_script("return document.documentElement.scrollWidth")
        if width > 400:
            fail(f"the page is {width} px wide on a 390 px phone screen")
        driver.save_screenshot(os.path.join(out, "page-phone.png"))

        # A web page opened as a file: read as HTML, its article routed and summarized.
        page = os.path.abspath(os.path.join(out, "story.html"))
        story_text = open(SAMPLE, encoding="utf-8").read()
        paragraphs = "".join(f"<p>{p}</p>" for p in story_text.split("\n\n") if p.strip())
        open(page, "w", encoding="utf-8").write(
            "<!doctype html><html><head><title>Water main break floods downtown streets | The Herald</title></head>"
            "<body><nav><a href='/'>Home</a> <a href='/local'>Local</a></nav><article>" + paragraphs
            + "</article><footer>Subscribe to The Herald</footer></body></html>")
        driver.set_window_size(1280, 1600)
        # The previous answer is cleared first: the file may hold the story pasted above.
        driver.execute_script("document.getElementById('lede').textContent = '';")
        driver.find_element(By.ID, "file").send_keys(page)
        wait.until(lambda d: "story.html" in d.find_element(By.ID, "file-name").text)
        wait.until(lambda d: d.find_element(By.ID, "lede").text.strip() != "")
        file_lede = driver.find_element(By.ID, "lede").text
        body_text = driver.find_element(By.ID, "body").text
        print(json.dumps({"file_label": driver.find_element(By.ID, "label").text, "file_lede": file_lede[:80]}))
        if "Subscribe" in body_text or "Home" in body_text.split():
            fail("the page's navigation or footer reached the body read from the HTML file")
        if "water main" not in (file_lede + body_text).lower():
            fail("the HTML file's article was not read")

        # The report view, reached with the keyboard.
        driver.set_window_size(1280, 1600)
        driver.find_element(By.ID, "tab-desk").send_keys(Keys.ARROW_RIGHT)
        wait.until(EC.visibility_of_element_located((By.ID, "report-frame")))
        driver.switch_to.frame(driver.find_element(By.ID, "report-frame"))
        wait.until(lambda d: d.find_elements(By.TAG_NAME, "svg"))
        driver.switch_to.default_content()
        time.sleep(0.5)
        driver.save_screenshot(os.path.join(out, "page-report.png"))

        errors = [e for e in driver.get_log("browser") if e.get("level") == "SEVERE"]
        if errors:
            fail("the browser logged errors: " + "; ".join(e.get("message", "") for e in errors))
        print(f"test-browser: ok; screenshots in {out}")
    finally:
        if driver:
            driver.quit()
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()


if __name__ == "__main__":
    main()
