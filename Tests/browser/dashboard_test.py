#!/usr/bin/env python3
"""The dashboard in a real browser: headless Chromium (Debian's chromium + chromium-driver) driven
by Selenium. Starts `seedwatch run` on temporary folders with `control.tcp` on a free loopback
port, feeds it a known stream one document at a time (the repository's seeds/, a generated
stream of four stories, a document with a hostile title and a binary file), and checks:

- the timeline shows the stories as lanes and their new_topic alerts, and updates live;
- a document opens from the Alerts page, and its raw JSON is one click away;
- a quarantined file is reprocessed from the Quarantine page (the form posts to /reprocess);
- the hostile title stays text (no dialog, shown literally);
- no console errors; with JavaScript off the pages still show everything;
- a screenshot of the timeline is saved.

Usage: dashboard_test.py BINARY [--screenshot PATH]. Exits 0 on success, 1 on a failed check,
77 when chromium or chromedriver is missing (printed as a SKIP: line, which CI refuses; CI installs both).
"""
import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HOSTILE = "<script>alert(1)</script>"

# Four stories, each with its own names and vocabulary (nothing shared between them), so the topic
# tracker sees four new stories; each document takes six of its story's eight sentences.
STORIES = {
    "ferry": ("Lake Varden ferry crews walk out", [
        "Ferry crews on Lake Varden stopped work at dawn in a dispute over overtime pay.",
        "The Varden Ferry Company cancelled every crossing between Osby and Hallmark Point.",
        "Union organiser Tessa Marlow said deckhands had not had a pay rise in four years.",
        "Commuters queued at the Osby jetty for replacement buses that never came.",
        "The company offered a two percent raise, which the crews rejected by ballot.",
        "Skipper Anton Rask said the older vessels need two more deckhands each.",
        "Talks between Marlow and the ferry company resume on Thursday in Osby.",
        "Lake Varden islanders rely on the ferries for school runs and deliveries.",
    ]),
    "flood": ("River Ossen bursts its banks at Dunmere", [
        "The River Ossen burst its banks at Dunmere after three days of torrential rain.",
        "Firefighters evacuated forty homes on Millrace Lane by inflatable boat.",
        "The Ossen gauge at Dunmere bridge reached a record height overnight.",
        "Volunteers filled sandbags at the Dunmere rugby club until midnight.",
        "Hydrologist Priya Venn warned that the flood crest would reach Carrow by morning.",
        "The county opened an emergency shelter in the Dunmere leisure centre.",
        "Farmers along the Ossen floodplain moved livestock to higher pasture.",
        "Engineers inspected the Carrow embankment for seepage and cracks.",
    ]),
    "orchestra": ("Kestrel Symphony opens its summer festival", [
        "The Kestrel Symphony Orchestra opened its summer festival at Halvorsen Hall.",
        "Conductor Ilse Brandvold led a rousing account of Sibelius's second symphony.",
        "Violinist Mateo Quiroga premiered a new concerto written for the festival.",
        "Tickets for the closing gala sold out within an hour of going on sale.",
        "The festival brings chamber recitals to village churches around Halvorsen.",
        "Brandvold said the orchestra would tour the programme next spring.",
        "Critics praised the cellos and the brass in the slow movement.",
        "A youth orchestra workshop fills the Halvorsen Hall foyer every morning.",
    ]),
    "chips": ("Corvale plans a chip plant in Brightwater", [
        "Corvale Semiconductors announced a wafer fabrication plant in Brightwater.",
        "The plant will make microcontrollers for cars and washing machines.",
        "Chief executive Rune Halloway said production starts within three years.",
        "Brightwater council approved the cleanroom building on the old airfield.",
        "Corvale expects to hire nine hundred engineers and technicians.",
        "Suppliers of lithography equipment have already visited the Brightwater site.",
        "Halloway said the investment depends on a grant for the water treatment works.",
        "Local colleges will train technicians for the Corvale fabrication lines.",
    ]),
}


def story_document(story, number):
    title, sentences = STORIES[story]
    chosen = [sentences[(number * 2 + offset) % len(sentences)] for offset in range(6)]
    return f"{title}: day {number + 1}\n\n" + " ".join(chosen) + "\n"


class Failure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failure(message)
    print(f"  ok: {message}")


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get_json(base, path):
    with urllib.request.urlopen(base + path, timeout=10) as response:
        return json.load(response)


def wait_for(what, condition, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    raise Failure(f"timed out waiting for {what}")


def drop(watch, name, content):
    """Written under a temporary name the daemon ignores, then renamed: it arrives whole."""
    temporary = os.path.join(watch, ".incoming-" + name)
    with open(temporary, "wb") as out:
        out.write(content if isinstance(content, bytes) else content.encode())
    os.rename(temporary, os.path.join(watch, name))


def make_driver(javascript=True):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium")
    for argument in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,1000", "--disable-gpu"]:
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    if not javascript:
        options.add_experimental_option("prefs", {"profile.managed_default_content_settings.javascript": 2})
    return webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)


def console_errors(driver):
    return [entry for entry in driver.get_log("browser") if entry.get("level") == "SEVERE"]


def no_dialog(driver):
    from selenium.common.exceptions import NoAlertPresentException

    try:
        text = driver.switch_to.alert.text
    except NoAlertPresentException:
        return True
    raise Failure(f"a script ran: a dialog says {text!r}")


def run(binary, screenshot):
    from selenium.webdriver.common.by import By

    folder = tempfile.mkdtemp(prefix="seedwatch-browser-")
    watch, outbox, state, quarantine = (os.path.join(folder, name) for name in ("in", "outbox", "state", "quarantine"))
    os.makedirs(watch)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = open(os.path.join(folder, "daemon.log"), "wb")
    daemon = subprocess.Popen(
        [os.path.abspath(binary), "run", "--watch", watch, "--outbox", outbox, "--state", state, "--quarantine", quarantine,
         "--set", f"control.tcp=127.0.0.1:{port}", "--set", "log.target=stderr"],
        stdout=log, stderr=log, cwd=folder, env={k: v for k, v in os.environ.items() if not k.startswith(("SEEDWATCH_", "LISTEN_", "NOTIFY_"))},
    )
    drivers = []
    try:
        wait_for("the control API", lambda: _healthy(base))
        driver = make_driver()
        drivers.append(driver)
        print("timeline, live:")
        driver.get(base + "/timeline")
        check(driver.find_element(By.CSS_SELECTOR, "#timeline svg") is not None, "the timeline page draws an SVG before any document")
        wait_for("the script's live marker", lambda: "Live" in driver.find_element(By.ID, "live-state").text, 10)

        stream = [(name, open(os.path.join(REPO, "seeds", name), "rb").read()) for name in sorted(os.listdir(os.path.join(REPO, "seeds")))]
        for number in range(3):
            for story in STORIES:
                stream.append((f"{story}-{number + 1}.txt", story_document(story, number)))
        stream.insert(6, ("hostile.txt", HOSTILE + "\n\nA short note about nothing in particular, written to test how titles are shown.\n"))
        stream.insert(9, ("broken.bin", b"binary\x00content"))
        documents = 0
        for name, content in stream:
            drop(watch, name, content)
            if not name.endswith(".bin"):
                documents += 1
                wait_for(f"{name} processed", lambda: len(get_json(base, "/api/documents?limit=100")["documents"]) >= documents)
            time.sleep(0.4)  # spreads the stream over time, so the timeline has a width
        # Live: the page loaded before the documents shows them all without a reload.
        wait_for("live marks", lambda: len(driver.find_elements(By.CSS_SELECTOR, "#timeline svg a.mark")) == documents, 15)
        check(True, f"the open timeline updated live to {documents} marks")
        topics = get_json(base, "/api/topics")["topics"]
        check(len(topics) >= 5, f"{len(topics)} stories in /api/topics")
        driver.refresh()
        lanes = [element.text for element in driver.find_elements(By.CSS_SELECTOR, "#timeline svg text.lane")]
        check(len(lanes) >= 5 and all(lanes), f"the timeline has a labelled lane per story: {lanes}")
        new_marks = driver.find_elements(By.CSS_SELECTOR, "#timeline svg a.new_topic")
        check(len(new_marks) >= 5, f"{len(new_marks)} new_topic alerts are marked on the timeline")
        titles = [element.get_attribute("textContent") for element in driver.find_elements(By.CSS_SELECTOR, "#timeline svg a.mark title")]
        check(any(HOSTILE in title for title in titles), "the hostile title is text in the timeline's SVG")
        no_dialog(driver)
        if screenshot:
            os.makedirs(os.path.dirname(os.path.abspath(screenshot)), exist_ok=True)
            driver.find_element(By.TAG_NAME, "main").screenshot(screenshot)
            check(os.path.getsize(screenshot) > 10_000, f"screenshot saved to {screenshot}")

        print("alerts → document:")
        driver.get(base + "/alerts")
        rows = driver.find_elements(By.CSS_SELECTOR, "tr.alert")
        check(len(rows) >= 5, f"{len(rows)} alerts listed, newest first")
        link = rows[-1].find_element(By.CSS_SELECTOR, "td a")
        expected = link.get_attribute("href")
        link.click()
        check(driver.current_url == expected and "/view/" in expected, f"the alert opened its document {expected}")
        check(driver.find_element(By.ID, "document-title").text != "", f"document title: {driver.find_element(By.ID, 'document-title').text}")
        check("new topic" in driver.page_source, "the document shows its new_topic alert")
        driver.find_element(By.ID, "raw-json").click()
        raw = json.loads(driver.find_element(By.TAG_NAME, "body").text)
        check(raw.get("schema") == "seedwatch.result/1" and raw.get("status") == "processed", "raw JSON is one click away")

        print("hostile title:")
        hostile = next(d for d in get_json(base, "/api/documents?limit=100")["documents"] if d["path"] == "hostile.txt")
        check(hostile["title"] == HOSTILE, "the index keeps the title as written")
        driver.get(base + hostile["result"].replace("/documents/", "/view/"))
        no_dialog(driver)
        check(driver.find_element(By.ID, "document-title").text == HOSTILE, "the document page shows the title as text")

        print("quarantine → reprocess:")
        driver.get(base + "/quarantine")
        row = driver.find_element(By.CSS_SELECTOR, "tr.quarantined")
        check("broken.bin" in row.text and "binary" in row.text, f"the quarantined file is listed with its code: {row.text[:80]!r}")
        before = row.find_element(By.CSS_SELECTOR, "td.time").text
        row.find_element(By.CSS_SELECTOR, "button").click()
        queued = wait_for("the answer to the form", lambda: driver.find_elements(By.ID, "queued") or driver.find_elements(By.ID, "failed")
                          or ("error" in driver.page_source and driver.find_elements(By.TAG_NAME, "pre")), 10)
        check("broken.bin" in queued[0].text, f"the form posted to /reprocess and the page says it is queued: {queued[0].text!r}")

        def reprocessed():
            driver.get(base + "/quarantine")
            return driver.find_element(By.CSS_SELECTOR, "tr.quarantined td.time").text != before

        wait_for("the file processed again", reprocessed, 20)
        check(True, "the file was processed again (a new quarantine record)")
        for page in ["/", "/timeline", "/alerts", "/quarantine"]:
            driver.get(base + page)
        errors = console_errors(driver)
        check(not errors, f"no console errors: {errors}")

        print("JavaScript off:")
        quiet = make_driver(javascript=False)
        drivers.append(quiet)
        quiet.get(base + "/timeline")
        check(quiet.find_element(By.ID, "live-state").text == "", "the script did not run")
        marks = quiet.find_elements(By.CSS_SELECTOR, "#timeline svg a.mark")
        check(len(marks) == documents, f"the server-rendered timeline has all {documents} marks")
        quiet.get(base + "/")
        check(quiet.find_element(By.CSS_SELECTOR, "[data-status=processed]").text == str(documents), "the overview shows the processed count")
        quiet.get(base + "/alerts")
        quiet.find_elements(By.CSS_SELECTOR, "tr.alert td a")[0].click()
        check(quiet.find_element(By.ID, "document-title").text != "", "a document opens from an alert without JavaScript")
        check(not console_errors(quiet), "no console errors without JavaScript")
        return 0
    finally:
        for driver in drivers:
            driver.quit()
        daemon.send_signal(signal.SIGTERM)
        try:
            daemon.wait(timeout=30)
        except subprocess.TimeoutExpired:
            daemon.kill()
        log.close()
        if os.environ.get("KEEP_BROWSER_TEST"):
            print(f"kept {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


def _healthy(base):
    try:
        return get_json(base, "/healthz").get("status") == "ok"
    except OSError:
        return False


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("--screenshot")
    arguments = parser.parse_args()
    missing = [tool for tool in ("chromium", "chromedriver") if shutil.which(tool) is None]
    if missing:
        print(f"SKIP: browser test: {', '.join(missing)} not installed (make deps installs them)")
        return 77
    started = time.monotonic()
    try:
        status = run(arguments.binary, arguments.screenshot)
    except Exception as failure:  # a failed check, or Selenium not finding what it looks for
        print(f"FAILED: {type(failure).__name__}: {failure}")
        return 1
    print(f"PASS browser test ({time.monotonic() - started:.1f} s)")
    return status


if __name__ == "__main__":
    sys.exit(main())
