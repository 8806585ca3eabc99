#!/usr/bin/python3
"""Drives `exafs view` in headless Chromium (Debian's chromium-driver + python3-selenium).

Started by Tests/exafsTests/ViewerTests.swift (or by hand to refresh Docs/images):

    /usr/bin/python3 Tests/Browser/viewer_browser.py --exafs .build/debug/exafs \
        --sample SampleSpectra/W_metal_rt_scans.prj --work /tmp/view [--screenshots Docs/images]

It starts the server on a free loopback port (with --stop-after as a backstop), loads the page,
changes rbkg in its control, drags the kmax window edge on the chi(k) plot, and checks that the
SVG plots and the screenshots change; then Save, `exafs process` on the saved project and on the
printed command line, and Export. Writes WORK/result.json with what it measured; exit 0 when every
check passed, 1 otherwise. The server and the browser are stopped in every case.
"""
import argparse
import json
import os
import shlex
import subprocess
import sys
import tempfile
import time

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

NUMBER_KEYS = ["e0", "edge_step", "first_shell_r", "first_shell_mag"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--exafs", required=True)
    ap.add_argument("--sample", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--screenshots", help="also copy the screenshots here (Docs/images)")
    ap.add_argument("--timeout", type=float, default=150, help="seconds for the whole run")
    args = ap.parse_args()
    os.makedirs(args.work, exist_ok=True)
    checks, result = [], {}
    deadline = time.time() + args.timeout

    def check(ok, what):
        checks.append({"ok": bool(ok), "what": what})
        print(("ok   " if ok else "FAIL ") + what, flush=True)
        return ok

    server = subprocess.Popen(
        [args.exafs, "view", args.sample, "--port", "0", "-o", os.path.join(args.work, "view"),
         "--stop-after", str(int(args.timeout) + 30)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    driver = None
    try:
        line = server.stdout.readline()
        url = line.strip().split(" open ")[-1]
        check(url.startswith("http://127.0.0.1:") and "token=" in url, "server prints a loopback URL with a token: " + line.strip())
        result["url_host"] = url.split("/")[2].split(":")[0]

        options = webdriver.ChromeOptions()
        options.binary_location = "/usr/bin/chromium"
        for a in ["--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=1400,1150",
                  "--user-data-dir=" + tempfile.mkdtemp(prefix="exafs-view-profile-")]:
            options.add_argument(a)
        driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
        driver.set_page_load_timeout(30)
        driver.set_script_timeout(30)
        driver.get(url)
        wait = WebDriverWait(driver, 30)

        def updates():
            return int(driver.find_element(By.ID, "status").get_attribute("data-updates") or 0)

        def wait_update(before, params=None):
            """Waits until a request started after `before` finished and none is pending (and, with
            `params`, until the last finished request carried these viewer parameters)."""
            def done(d):
                st = d.find_element(By.ID, "status")
                if updates() <= before or st.get_attribute("data-pending") != "0":
                    return False
                if params is not None:
                    sent = json.loads(st.get_attribute("data-params") or "{}")
                    return all(sent.get(k) == v for k, v in params.items())
                return True
            wait.until(done)

        def type_into(element, text):
            element.send_keys(Keys.CONTROL, "a")
            element.send_keys(text)
            element.send_keys(Keys.TAB)

        wait.until(lambda d: updates() >= 1)
        status = driver.find_element(By.ID, "status")
        check(status.get_attribute("data-state") == "ok", "first processing: " + status.text)
        groups = driver.find_elements(By.CSS_SELECTOR, "#groups input")
        check(len(groups) >= 2, f"{len(groups)} groups listed")
        params = driver.find_elements(By.CSS_SELECTOR, "#params .param")
        result["controls"] = len(params)

        def svg(id_):
            return driver.find_element(By.ID, id_).get_attribute("innerHTML")

        def numbers():
            out = {}
            for cell in driver.find_elements(By.CSS_SELECTOR, "#numbers td.number"):
                v = cell.get_attribute("data-value")
                if v is not None:
                    out[cell.get_attribute("data-key")] = float(v)
            return out

        def shot(name):
            path = os.path.join(args.work, name)
            driver.save_screenshot(path)
            return path

        plots = ["plot-mu", "plot-norm", "plot-chik", "plot-chir", "plot-wavelet"]
        before = {p: svg(p) for p in plots}
        check(all(b.count("<path") >= 1 for p, b in before.items() if p != "plot-wavelet"), "line plots have curves")
        check(before["plot-wavelet"].count("<rect") > 1000, "wavelet map drawn as SVG cells")
        n0 = numbers()
        result["numbers_initial"] = n0
        shots = [shot("viewer-1-initial.png")]
        rbkg_input = driver.find_element(By.ID, "param-rbkg")
        result["rbkg_initial"] = rbkg_input.get_attribute("value")

        # 1. rbkg in its control.
        u = updates()
        type_into(rbkg_input, "1.6")
        wait_update(u, {"rbkg": "1.6"})
        after = {p: svg(p) for p in plots}
        check(after["plot-chir"] != before["plot-chir"], "rbkg 1.6: chi(R) plot changed")
        check(after["plot-mu"] != before["plot-mu"], "rbkg 1.6: background in the mu(E) plot changed")
        check(after["plot-chik"] != before["plot-chik"], "rbkg 1.6: chi(k) plot changed")
        n1 = numbers()
        result["numbers_rbkg"] = n1
        shots.append(shot("viewer-2-rbkg.png"))

        # 2. drag the kmax window edge on the chi(k) plot to the left.
        handle = driver.find_element(By.ID, "handle-kmax")
        kmax_before = driver.find_element(By.ID, "param-kmax").get_attribute("value")
        u = updates()
        ActionChains(driver).click_and_hold(handle).move_by_offset(-40, 0).move_by_offset(-40, 0).release().perform()
        wait_update(u)
        kmax_after = driver.find_element(By.ID, "param-kmax").get_attribute("value")
        result["kmax"] = [kmax_before, kmax_after]
        check(float(kmax_after) < float(kmax_before) - 0.5, f"kmax dragged from {kmax_before} to {kmax_after}")
        after2 = {p: svg(p) for p in plots}
        check(after2["plot-chik"] != after["plot-chik"], "kmax drag: window in the chi(k) plot changed")
        check(after2["plot-chir"] != after["plot-chir"], "kmax drag: chi(R) plot changed")
        n2 = numbers()
        result["numbers_shown"] = n2
        shots.append(shot("viewer-3-kmax.png"))

        # 3. overlay of two groups with an offset (for the docs picture and the DOM check).
        u = updates()
        groups[1].click()
        wait_update(u)
        curves = driver.find_element(By.ID, "plot-norm").find_elements(By.CSS_SELECTOR, "path.curve")
        check(len(curves) == 2, f"two groups overlaid in the normalized plot ({len(curves)} curves)")
        offset = driver.find_element(By.ID, "offset")
        type_into(offset, "0.3")
        time.sleep(0.3)
        shots.append(shot("viewer-4-overlay.png"))
        u = updates()
        groups[1].click()  # back to the first group alone
        wait_update(u)
        n2 = numbers()
        result["numbers_shown"] = n2

        # 4. Save, and exafs process on the saved project must give the numbers the viewer showed.
        driver.find_element(By.ID, "save").click()
        wait.until(lambda d: d.find_element(By.ID, "saved").get_attribute("data-project"))
        project = driver.find_element(By.ID, "saved").get_attribute("data-project")
        lines = driver.find_element(By.ID, "saved").text.splitlines()[1:]
        result["commands"] = lines
        check(os.path.isfile(project), "Save wrote " + project)
        reprocessed = os.path.join(args.work, "reprocessed")
        p = subprocess.run([args.exafs, "process", project, "-o", reprocessed], capture_output=True, text=True,
                           timeout=max(5, deadline - time.time()))
        check(p.returncode == 0, "exafs process on the saved project: " + p.stderr.strip()[:300])
        records = [json.load(open(os.path.join(reprocessed, f))) for f in sorted(os.listdir(reprocessed)) if f.endswith(".json")]
        check(len(records) == 1, f"{len(records)} group(s) in the saved project")
        diffs = {}
        if records:
            r = records[0]
            got = {"e0": r.get("e0"), "edge_step": r.get("edge_step"),
                   "first_shell_r": (r.get("first_shell") or {}).get("r"),
                   "first_shell_mag": (r.get("first_shell") or {}).get("mag")}
            for k in NUMBER_KEYS:
                diffs[k] = abs(got[k] - n2[k]) / max(abs(n2[k]), 1e-300)
            result["relative_differences_saved_project"] = diffs
            # The project stores energies and mu with 10 significant digits (Athena's text format).
            check(all(d < 1e-6 for d in diffs.values()), f"saved project reprocessed: relative differences {diffs}")
            check(abs(r["parameters"]["rbkg"]["value"] - 1.6) < 1e-12, "saved project carries rbkg 1.6")
            check(abs(r["parameters"]["kmax"]["value"] - float(kmax_after)) < 1e-6, "saved project carries the dragged kmax")

        # 5. The printed command line on the original input.
        original = [l for l in lines if "viewer.prj" not in l]
        if check(len(original) == 1, "one command line for the original input: " + " | ".join(original)):
            words = shlex.split(original[0])
            words[0] = args.exafs
            out_index = words.index("-o") + 1
            words[out_index] = os.path.join(args.work, "from-command")
            p = subprocess.run(words, capture_output=True, text=True, timeout=max(5, deadline - time.time()))
            check(p.returncode == 0, "printed command runs: " + p.stderr.strip()[:300])
            folder = words[out_index]
            recs = {f: json.load(open(os.path.join(folder, f))) for f in os.listdir(folder) if f.endswith(".json")}
            check(len(recs) == 1, f"printed command processed {len(recs)} group(s)")
            if recs:
                r = list(recs.values())[0]
                got = {"e0": r["e0"], "edge_step": r["edge_step"], "first_shell_r": r["first_shell"]["r"],
                       "first_shell_mag": r["first_shell"]["mag"]}
                d2 = {k: abs(got[k] - n2[k]) / max(abs(n2[k]), 1e-300) for k in NUMBER_KEYS}
                result["relative_differences_command_line"] = d2
                check(all(d < 1e-12 for d in d2.values()), f"printed command: relative differences {d2}")
                check(r["parameters"]["rbkg"]["source"] == "command line", "printed command sets rbkg on the command line")

        # 6. Export: the usual files, provenance "viewer".
        driver.find_element(By.ID, "export").click()
        wait.until(lambda d: d.find_element(By.ID, "saved").get_attribute("data-exported"))
        exported = driver.find_element(By.ID, "saved").get_attribute("data-exported").split(",")
        result["exported"] = exported
        folder = os.path.join(args.work, "view")
        exts = sorted({os.path.splitext(f)[1] for f in exported})
        check({".nor", ".chik", ".chir", ".json", ".wavelet", ".csv"} <= set(exts), f"Export wrote {exts}")
        js = [f for f in exported if f.endswith(".json")]
        if js:
            rec = json.load(open(os.path.join(folder, js[0])))
            src = {k: v["source"] for k, v in rec["parameters"].items()}
            check(src["rbkg"] == "viewer" and src["kmax"] == "viewer", "NAME.json: rbkg and kmax from the viewer")
            check(src["pre1"] in ("file", "default"), "NAME.json: untouched parameters keep their source (" + src["pre1"] + ")")
        result["screenshots"] = shots
        if args.screenshots:
            os.makedirs(args.screenshots, exist_ok=True)
            import shutil
            for s, name in [(shots[1], "viewer-rbkg.png"), (shots[3], "viewer-overlay.png")]:
                shutil.copy(s, os.path.join(args.screenshots, name))
    except Exception as e:  # any failure is a failed check with its message
        check(False, f"exception: {type(e).__name__}: {e}")
    finally:
        if driver is not None:
            try:
                driver.quit()
            except Exception:
                pass
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
    result["checks"] = checks
    with open(os.path.join(args.work, "result.json"), "w") as f:
        json.dump(result, f, indent=1)
    return 0 if checks and all(c["ok"] for c in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
