#!/usr/bin/env python
"""fusion_nb as a user sees it, in a real browser (headless Chromium driven by selenium).

1. JupyterLab: a JupyterLab server on 127.0.0.1 opens a notebook whose cells call
   `view(cts, mris, model='ct-mri')` on a phantom volume; the cells are run with Shift+Enter, as a user
   runs them. Checks: both sliders are there, dragging each one redraws the figure (the image data changes), clicking
   each choice of the overlay switch (checkerboard, CT edges, none) redraws it too, and no error shows (no traceback,
   no error output, no widget that fails to render, no dead kernel).
2. The docs pages: every processed notebook as HTML (`tools/check_docs.py --html`), opened in the same browser.
   Checks: the page opens with its title (h1) and description, not the raw front matter; every image loads (natural
   width > 0), no traceback text, and every `show_doc` of the notebook is rendered as a heading naming its target.

Screenshots go to a temporary folder (printed). JupyterLab, its kernel, Chromium and chromedriver are stopped at
the end, also on failure; every wait is bounded. Needs a Chromium (or Chrome) and a ChromeDriver of the same major
version (`find_browser`: Debian's `chromium` and `chromium-driver`, or what PATH and CHROMEWEBDRIVER hold, as on GitHub's
runners; `.ci/browser` installs Debian's pair) and the dev extra (jupyterlab, selenium); if they are missing or their
versions differ, the test fails with that reason (it does not skip).

Usage: python tools/browser_test.py [--pages DIR] [--shots DIR]   (from the project root; exits non-zero on any problem)
       python tools/browser_test.py --find        (print the browser and driver it would use)
       python tools/browser_test.py --self-test   (test that search on fake executables; starts no browser)
"""
import argparse, contextlib, json, os, re, secrets, signal, socket, subprocess, sys, tempfile, time, urllib.request
from pathlib import Path

root = Path(__file__).resolve().parents[1]
# Browsers and drivers, in the order they are tried: Debian's pair (apt-get install chromium chromium-driver) is found on
# PATH as chromium + chromedriver; GitHub's Ubuntu runners bring google-chrome on PATH and a ChromeDriver in the folder
# named by CHROMEWEBDRIVER. FUSION_NB_CHROMIUM / FUSION_NB_CHROMEDRIVER name one browser / driver and skip the search.
BROWSERS = ('chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable', 'chrome')
DRIVERS = ('chromedriver',)
# Flags that keep Chromium from phoning home: on a closed network it otherwise hangs on start or on first page.
CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
                  '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage', '--disable-extensions',
                  '--disable-default-apps', '--window-size=1500,1100']
WAIT = 60          # seconds for any one thing to appear in the page
KERNEL_WAIT = 180  # seconds for the kernel to start and the viewer cell to run (imports torch, loads the model)
problems = []

def log(msg): print(f"browser: {msg}", flush=True)

# The notebook a user would write: imports, a phantom volume, the viewer with the shipped model.
USER_CELLS = [
    "import numpy as np\nfrom fusion_nb import phantom_pair, view",
    "vol = [phantom_pair(96, seed=s) for s in range(5)]\ncts, mris = np.stack([v[0] for v in vol]), np.stack([v[1] for v in vol])\n"
    "view(cts, mris, model='ct-mri')",
]

def write_user_notebook(folder:Path)->Path:
    import nbformat
    from nbformat.v4 import new_notebook, new_code_cell, new_markdown_cell
    nb = new_notebook(cells=[new_markdown_cell('# Viewer check'), *map(new_code_cell, USER_CELLS)],
                      metadata={'kernelspec': {'name': 'python3', 'display_name': 'Python 3', 'language': 'python'}})
    path = folder/'viewer_check.ipynb'
    nbformat.write(nb, path)
    return path

def free_port()->int:
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0)); return s.getsockname()[1]

def wait_for(what:str, check, timeout:float=WAIT, every:float=0.5):
    "Call `check()` until it returns something truthy, for at most `timeout` seconds; raise TimeoutError naming `what`."
    end = time.monotonic() + timeout
    while True:
        try: r = check()
        except PageError: raise
        except Exception: r = None   # a page still loading
        if r: return r
        if time.monotonic() > end: raise TimeoutError(f"gave up after {timeout:.0f} s waiting for {what}")
        time.sleep(every)

# --- processes we start, and stop for sure --------------------------------------------------------------------------

@contextlib.contextmanager
def jupyterlab(work:Path, state:Path):
    "A JupyterLab server on 127.0.0.1 serving `work`, with config, runtime and settings folders of its own in `state`; yields (url, token)."
    port, token = free_port(), secrets.token_hex(16)
    dirs = {k: state/k.lower() for k in ('JUPYTER_CONFIG_DIR', 'JUPYTER_RUNTIME_DIR', 'JUPYTERLAB_SETTINGS_DIR', 'JUPYTERLAB_WORKSPACES_DIR', 'IPYTHONDIR')}
    for d in dirs.values(): d.mkdir(parents=True, exist_ok=True)
    # a fresh user's settings, without the 'news?' and 'update?' prompts (they cover the page and reach for the network)
    note = dirs['JUPYTERLAB_SETTINGS_DIR']/'@jupyterlab'/'apputils-extension'/'notification.jupyterlab-settings'
    note.parent.mkdir(parents=True); note.write_text(json.dumps({'fetchNews': 'false', 'checkForUpdates': False}))
    env = {**os.environ, **{k: str(v) for k, v in dirs.items()}, 'OMP_NUM_THREADS': '1', 'PYTHONUNBUFFERED': '1'}
    exe = Path(sys.executable).with_name('jupyter')   # `.venv/bin/jupyter lab DIR`, as the README tells a reader
    if not Path(sys.executable).with_name('jupyter-lab').exists(): raise RuntimeError("jupyter-lab not found: install the dev extra (pip install -e '.[dev]'), which brings jupyterlab.")
    cmd = [str(exe), 'lab', str(work), '--no-browser', '--allow-root', '--ServerApp.ip=127.0.0.1', f'--ServerApp.port={port}', '--ServerApp.port_retries=0',
           f'--IdentityProvider.token={token}', '--LabApp.news_url=',
           '--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate', '--LabApp.extension_manager=readonly']
    server_log = open(state/'jupyterlab.log', 'w')
    proc = subprocess.Popen(cmd, cwd=work, env=env, stdout=server_log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f'http://127.0.0.1:{port}'
    try:
        def up():
            if proc.poll() is not None: raise RuntimeError(f"JupyterLab exited with code {proc.returncode}:\n{(state/'jupyterlab.log').read_text()[-3000:]}")
            with urllib.request.urlopen(f'{url}/api/status?token={token}', timeout=5) as r: return r.status == 200
        def up_or_raise():
            try: return up()
            except RuntimeError: raise
            except Exception: return False
        end = time.monotonic() + WAIT
        while not up_or_raise():
            if time.monotonic() > end: raise TimeoutError(f"JupyterLab did not answer on {url} within {WAIT} s")
            time.sleep(0.5)
        log(f"JupyterLab {proc.pid} serving on {url}")
        yield url, token
    finally:
        stop_jupyterlab(proc, url, token, dirs['JUPYTER_RUNTIME_DIR'])
        server_log.close()

def stop_jupyterlab(proc, url, token, runtime:Path):
    "Shut the server down (it stops its kernels), then kill what is left: the server's process group and any kernel started with our runtime folder."
    with contextlib.suppress(Exception):
        urllib.request.urlopen(urllib.request.Request(f'{url}/api/shutdown', method='POST', headers={'Authorization': f'token {token}'}), timeout=10).close()
    try: proc.wait(20)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError): os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(10)
    # Kernels run in sessions of their own; ours are the processes whose command line names our runtime folder.
    left = [int(p.name) for p in Path('/proc').iterdir() if p.name.isdigit() and _cmdline_has(p, str(runtime))]
    for pid in left:
        with contextlib.suppress(ProcessLookupError): os.kill(pid, signal.SIGKILL)
    log(f"JupyterLab stopped (exit code {proc.returncode}); {len(left)} leftover kernel process(es) killed")

def _cmdline_has(p:Path, s:str)->bool:
    try: return s in (p/'cmdline').read_bytes().replace(b'\0', b' ').decode(errors='replace')
    except OSError: return False

# --- which browser and driver --------------------------------------------------------------------------------------

def tool_version(exe)->str:
    "The version `exe --version` prints ('120.0.6099.224'), or '' when it prints none or fails."
    try: out = subprocess.run([str(exe), '--version'], capture_output=True, text=True, timeout=60).stdout
    except (OSError, subprocess.SubprocessError): return ''
    m = re.search(r'\b(\d+(?:\.\d+){1,3})\b', out)
    return m.group(1) if m else ''

def _major(v:str)->str: return v.split('.')[0]

def _candidates(names, env, extra_dirs=())->list:
    "Executable files called one of `names`, in `extra_dirs` first, then along env['PATH'], without duplicates."
    found = []
    def usable(f):   # a PATH entry this user may not enter (another user's home) is skipped, not an error
        try: return f.is_file() and os.access(f, os.X_OK) and f.resolve() not in [g.resolve() for g in found]
        except OSError: return False
    for d in [*extra_dirs, *env.get('PATH', '').split(os.pathsep)]:
        for n in names:
            if d and usable(Path(d)/n): found.append(Path(d)/n)
    return found

def find_browser(env=None)->tuple:
    """A headless-capable Chromium or Chrome and a ChromeDriver of the same major version: `(browser, driver, version)`.
    Looks at FUSION_NB_CHROMIUM / FUSION_NB_CHROMEDRIVER if set, else along PATH (Debian's /usr/bin/chromium and
    /usr/bin/chromedriver) and in the folder CHROMEWEBDRIVER names (GitHub's runners). Raises RuntimeError naming what
    was found, with their versions, when no pair matches."""
    env = os.environ if env is None else env
    browsers = [Path(env['FUSION_NB_CHROMIUM'])] if env.get('FUSION_NB_CHROMIUM') else _candidates(BROWSERS, env)
    drivers = ([Path(env['FUSION_NB_CHROMEDRIVER'])] if env.get('FUSION_NB_CHROMEDRIVER')
               else _candidates(DRIVERS, env, [env['CHROMEWEBDRIVER']] if env.get('CHROMEWEBDRIVER') else []))
    bv = {b: tool_version(b) for b in browsers}
    dv = {d: tool_version(d) for d in drivers}
    for b, v in bv.items():
        for d, w in dv.items():
            if v and w and _major(v) == _major(w): return b, d, v
    fix = ("install a matching pair: Debian's `apt-get install -y chromium chromium-driver` (as root or through sudo; "
           ".ci/browser does it), or set FUSION_NB_CHROMIUM and FUSION_NB_CHROMEDRIVER to a browser and a driver of the same major version")
    def listing(d): return ', '.join(f"{f} {v or '(no version)'}" for f, v in d.items()) or 'none'
    if browsers and drivers:
        raise RuntimeError(f"no Chromium/Chrome and ChromeDriver of the same major version: browsers {listing(bv)}; drivers {listing(dv)}. Fix: {fix}.")
    raise RuntimeError(f"no {'ChromeDriver' if browsers else 'Chromium or Chrome'} found (browsers: {listing(bv)}; drivers: {listing(dv)}; "
                       f"looked along PATH{' and in CHROMEWEBDRIVER' if env.get('CHROMEWEBDRIVER') else ''}). Fix: {fix}.")

def self_test():
    "find_browser on fake executables: a matching pair is found, CHROMEWEBDRIVER is searched, mismatched versions fail clearly."
    with tempfile.TemporaryDirectory() as d:
        d = Path(d)
        def fake(path, text):
            path.parent.mkdir(parents=True, exist_ok=True); path.write_text(f"#!/bin/sh\necho '{text}'\n"); path.chmod(0o755); return path
        b = fake(d/'bin'/'google-chrome', 'Google Chrome 131.0.6778.85 ')
        fake(d/'bin'/'chromedriver', 'ChromeDriver 130.0.6723.116 (6ac35f94ae3d01152cf1946c896b0678e48f0ec4-refs/branch-heads/6723@{#1564})')
        drv = fake(d/'webdriver'/'chromedriver', 'ChromeDriver 131.0.6778.85 (3d81e41b6f3ac8bcae63b32e8145c9eb0cd60a2d-refs/branch-heads/6778@{#2285})')
        errs = []
        got = find_browser({'PATH': str(d/'bin'), 'CHROMEWEBDRIVER': str(d/'webdriver')})
        if got != (b, drv, '131.0.6778.85'): errs.append(f"matching pair through CHROMEWEBDRIVER: got {got}")
        try: find_browser({'PATH': str(d/'bin')}); errs.append("versions 131 and 130 were accepted")
        except RuntimeError as e:
            if 'same major version' not in str(e) or '131.0.6778.85' not in str(e) or '130.0.6723.116' not in str(e): errs.append(f"unclear message: {e}")
        try: find_browser({'PATH': str(d/'webdriver')}); errs.append("a driver without a browser was accepted")
        except RuntimeError as e:
            if 'no Chromium or Chrome found' not in str(e): errs.append(f"unclear message: {e}")
    return errs

@contextlib.contextmanager
def chromium(work:Path):
    "Headless Chromium (or Chrome) with a fresh profile, driven by selenium through a ChromeDriver of the same major version."
    CHROMIUM, DRIVER, version = find_browser()
    log(f"browser {CHROMIUM} and driver {DRIVER}, version {version}")
    os.environ['SE_AVOID_STATS'] = 'true'   # selenium never reaches for the network
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    opts = webdriver.ChromeOptions()
    opts.binary_location = str(CHROMIUM)
    for f in CHROMIUM_FLAGS + [f'--user-data-dir={work/"chromium-profile"}']: opts.add_argument(f)
    service = Service(executable_path=str(DRIVER), log_output=str(work/'chromedriver.log'))
    driver = webdriver.Chrome(service=service, options=opts)
    try:
        driver.set_page_load_timeout(WAIT); driver.set_script_timeout(WAIT)
        log(f"Chromium {driver.capabilities.get('browserVersion', '?')} started")
        yield driver
    finally:
        with contextlib.suppress(Exception): driver.quit()
        with contextlib.suppress(Exception): service.stop()
        log("Chromium stopped")

# --- 1. the viewer in JupyterLab ---------------------------------------------------------------------------------------

JS_ERRORS = """
const out = [];
for (const e of document.querySelectorAll('.jp-OutputArea-output')) {
  if (e.querySelector('.jp-OutputArea-output')) continue;   // a widget's output area inside this one is read on its own
  const t = e.innerText || '';
  if (e.dataset.mimeType === 'application/vnd.jupyter.stderr' && /Error|Traceback/.test(t)) out.push(t.slice(0, 20000));
  else if (/Traceback \\(most recent call last\\)|Error displaying widget|Error rendering|Error: /.test(t)) out.push(t.slice(0, 20000));
}
for (const d of document.querySelectorAll('.jp-Dialog')) out.push('dialog: ' + (d.innerText || '').slice(0, 500));
const k = document.querySelector('.jp-Notebook-ExecutionIndicator');
if (k && k.dataset.status === 'dead') out.push('the kernel died');
return out;
"""

def page_errors(driver)->list: return [summary(e) for e in driver.execute_script(JS_ERRORS)]

def summary(text:str)->str:
    "A traceback as its last line (the exception) and its last frame; other text as is, shortened."
    lines = [l.rstrip() for l in text.strip().splitlines() if l.strip()]
    if not any('Traceback' in l for l in lines): return text.strip()[:500]
    frames = [l.strip() for l in lines if l.lstrip().startswith('File ')]
    return f"{lines[-1]}   (a traceback of {len(lines)} lines; last frame: {frames[-1] if frames else '?'})"

class PageError(Exception): "An error shown in the page."

def no_error(driver, when:str)->bool:
    "True if the page shows no error, else raise PageError with what it shows (stops a `wait_for` at once)."
    errs = page_errors(driver)
    if errs: raise PageError(f"error shown while {when}:\n" + '\n'.join(errs))
    return True

def figure_src(driver)->str:
    "The data URL of the figure in the viewer's output (the last image in the notebook's outputs)."
    return driver.execute_script("const i = [...document.querySelectorAll('.jp-OutputArea-output img')]; return i.length ? i[i.length - 1].src : null;")

def settled_figure(driver)->str:
    "The figure once the kernel is idle and the figure has stayed the same for a second (a drag may redraw it several times)."
    seen = []
    def settled():
        seen.append(kernel_idle(driver) and no_error(driver, "redrawing") and figure_src(driver))
        return len(seen) >= 3 and seen[-1] and seen[-1] == seen[-2] == seen[-3] and seen[-1]
    return wait_for("the figure to settle", settled)

def kernel_idle(driver)->bool:
    "The status bar says 'Python 3 (ipykernel) | Idle'."
    bar = driver.find_element('css selector', '#jp-main-statusbar').text
    return '| Idle' in bar and 'No Kernel' not in bar

def shift_enter(driver):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys
    ActionChains(driver).key_down(Keys.SHIFT).send_keys(Keys.ENTER).key_up(Keys.SHIFT).perform()

def drag(driver, slider, dx:int):
    "Drag the handle of an ipywidgets slider by `dx` pixels, as a mouse does."
    from selenium.webdriver.common.action_chains import ActionChains
    handle = slider.find_element('css selector', '.noUi-handle')
    ActionChains(driver).click_and_hold(handle).move_by_offset(dx // 2, 0).move_by_offset(dx - dx // 2, 0).release().perform()

def check_viewer(driver, url:str, token:str, shots:Path):
    driver.get(f'{url}/lab/tree/viewer_check.ipynb?token={token}')
    wait_for("the notebook to open", lambda: all(e.is_displayed() for e in driver.find_elements('css selector', '.jp-Notebook .jp-CodeCell .cm-content') or [None]))
    wait_for("the kernel to start (idle)", lambda: kernel_idle(driver), KERNEL_WAIT)
    code = driver.find_elements('css selector', '.jp-Notebook .jp-CodeCell')
    code[0].find_element('css selector', '.cm-content').click()   # into the first code cell, as a user clicks
    driver.save_screenshot(str(shots/'1-notebook-open.png'))
    for i in range(len(code)):                           # Shift+Enter runs a cell and moves to the next one
        shift_enter(driver)
        wait_for(f"Shift+Enter to move past code cell {i + 1}", lambda: code[i].get_attribute('class').find('jp-mod-active') < 0)
    sliders = wait_for("the viewer's two sliders", lambda: no_error(driver, "running the cells")
                       and (s := driver.find_elements('css selector', '.jp-OutputArea-output .widget-slider')) and len(s) >= 2 and s, KERNEL_WAIT)
    first = wait_for("the viewer's figure", lambda: no_error(driver, "showing the viewer") and figure_src(driver), KERNEL_WAIT)
    wait_for("the cells to finish", lambda: kernel_idle(driver), KERNEL_WAIT)
    time.sleep(1)                                        # an error printed after the figure would show by now
    errs = page_errors(driver)
    driver.save_screenshot(str(shots/'2-viewer.png'))
    if errs: problems.extend(f"JupyterLab: error in the viewer notebook: {e}" for e in errs); return
    labels = [f"{s.find_element('css selector', '.widget-label').text} {s.find_element('css selector', '.widget-readout').text}" for s in sliders]
    log(f"viewer shown with {len(sliders)} sliders ({', '.join(labels)})")
    if len(sliders) != 2: problems.append(f"JupyterLab: expected the slice and blend sliders, found {len(sliders)} sliders")
    for name, slider, dx in (('slice', sliders[0], 60), ('blend', sliders[1], -50)):
        readout = slider.find_element('css selector', '.widget-readout')
        value, before = readout.text, settled_figure(driver)
        drag(driver, slider, dx)
        try: wait_for(f"the figure to redraw after dragging the {name} slider",
                      lambda: no_error(driver, f"dragging the {name} slider") and (s := figure_src(driver)) and s != before)
        except TimeoutError as e: problems.append(f"JupyterLab: {e} (its readout went from {value} to {readout.text})")
        else: log(f"dragging the {name} slider ({value} -> {readout.text}) redrew the figure")
        settled_figure(driver)
        driver.save_screenshot(str(shots/f'3-after-{name}-slider.png'))
        errs = page_errors(driver)
        if errs: problems.extend(f"JupyterLab: error after dragging the {name} slider: {e}" for e in errs); return
        if readout.text == value: problems.append(f"JupyterLab: dragging the {name} slider did not change its value ({value})")
    check_overlay(driver, shots)

def check_overlay(driver, shots:Path):
    "Click the viewer's overlay switch through its choices: each click redraws the figure, marks its button active and shows no error."
    buttons = wait_for("the viewer's overlay switch", lambda: driver.find_elements('css selector', '.jp-OutputArea-output .widget-toggle-buttons button'))
    labels = [b.text.strip() for b in buttons]
    if labels[:2] != ['no overlay', 'checkerboard'] or len(labels) != 3 or not labels[2].startswith('CT edges'):
        problems.append(f"JupyterLab: expected the overlay choices 'no overlay', 'checkerboard', 'CT edges on ...'; found {labels}"); return
    for i in (1, 2, 0):   # checkerboard, CT edges, and back to none
        before = settled_figure(driver)
        buttons[i].click()
        try: wait_for(f"the figure to redraw after choosing the overlay '{labels[i]}'",
                      lambda: no_error(driver, f"choosing the overlay '{labels[i]}'") and (s := figure_src(driver)) and s != before)
        except TimeoutError as e: problems.append(f"JupyterLab: {e}"); continue
        settled_figure(driver)
        driver.save_screenshot(str(shots/f'3-overlay-{i}.png'))
        if 'mod-active' not in (buttons[i].get_attribute('class') or ''): problems.append(f"JupyterLab: the overlay button '{labels[i]}' is not shown as chosen after the click")
        else: log(f"choosing the overlay '{labels[i]}' redrew the figure")
        errs = page_errors(driver)
        if errs: problems.extend(f"JupyterLab: error after choosing the overlay '{labels[i]}': {e}" for e in errs); return

# --- 2. the docs pages ----------------------------------------------------------------------------------------------

JS_PAGE = """
const imgs = [...document.images].map(i => [i.complete, i.naturalWidth, (i.getAttribute('alt') || i.src).slice(0, 80)]);
const heads = [...document.querySelectorAll('h1,h2,h3,h4,h5,h6')].map(h => h.innerText.replace('¶', '').trim());
const h1 = document.querySelector('h1'), lead = document.querySelector('p.description');
const raw = /\\boutput-file:|^\\s*---\\s+[\\w-]+:/.test((document.querySelector('main') || document.body).innerText.slice(0, 3000));
const text = [...document.querySelectorAll('.jp-OutputArea-output')].map(e => e.innerText).join('\\n');
const tb = text.indexOf('Traceback (most recent call last)');
const errs = [...document.querySelectorAll('[data-mime-type="application/vnd.jupyter.stderr"]')].map(e => e.innerText).filter(t => /Error|Traceback/.test(t));
return {imgs: imgs, heads: heads, h1: h1 ? h1.innerText.replace('¶', '').trim() : null, lead: lead ? lead.innerText.trim() : null, raw: raw, traceback: tb < 0 ? null : text.slice(Math.max(0, tb - 200), tb + 300), errs: errs.map(t => t.slice(0, 500))};
"""

def check_pages(driver, pages:Path, shots:Path):
    manifest = json.loads((pages/'manifest.json').read_text())
    n_imgs = n_docs = 0
    for page, entry in manifest.items():
        docs = entry['docs'] if isinstance(entry, dict) else entry
        title, desc = (entry.get('title'), entry.get('description')) if isinstance(entry, dict) else (None, None)
        driver.get((pages/page).resolve().as_uri())
        wait_for(f"{page} to load", lambda: driver.execute_script("return document.readyState") == 'complete')
        wait_for(f"the images of {page} to load", lambda: all(c for c, _, _ in driver.execute_script(JS_PAGE)['imgs']))
        r = driver.execute_script(JS_PAGE)
        broken = [a for _, w, a in r['imgs'] if not w > 0]
        if broken: problems.append(f"{page}: {len(broken)} of {len(r['imgs'])} images do not load: {broken[:3]}")
        if r['traceback']: problems.append(f"{page}: traceback text on the page: ...{r['traceback']}...")
        problems.extend(f"{page}: error output on the page: {e}" for e in r['errs'])
        if r['raw']: problems.append(f"{page}: the front matter shows as raw text at the top of the page")
        if title is not None and r['h1'] != str(title): problems.append(f"{page}: the first heading is {r['h1']!r}, expected the page title {title!r}")
        if desc and not r['lead']: problems.append(f"{page}: the description is not shown under the title")
        missing = sorted(set(docs) - set(r['heads']))
        if missing: problems.append(f"{page}: {len(missing)} of {len(docs)} show_doc entries not rendered: {', '.join(missing)}")
        n_imgs, n_docs = n_imgs + len(r['imgs']), n_docs + len(docs)
    driver.save_screenshot(str(shots/f'4-last-docs-page.png'))
    log(f"{len(manifest)} docs pages opened: {n_imgs} images, {n_docs} show_doc entries checked")

# --- 3. the cohort page ----------------------------------------------------------------------------------------------

def check_cohort_page(driver, work:Path, shots:Path):
    "A small cohort run's index.html (`fusion_nb.cohort.demo_cohort_page`), opened from disk: every QA thumbnail loads, failed cases first."
    r = subprocess.run([sys.executable, '-c', 'import sys; from fusion_nb.cohort import demo_cohort_page; print(demo_cohort_page(sys.argv[1]))', str(work/'cohort')],
                       cwd=root, capture_output=True, text=True, timeout=600)
    if r.returncode: problems.append(f"cohort page: demo_cohort_page failed: {(r.stderr or r.stdout).strip().splitlines()[-1:]}"); return
    page = Path(r.stdout.strip().splitlines()[-1])
    driver.get(page.resolve().as_uri())
    wait_for("the cohort page to load", lambda: driver.execute_script("return document.readyState") == 'complete')
    wait_for("the cohort page's images to load", lambda: all(c for c, _, _ in driver.execute_script(JS_PAGE)['imgs']))
    imgs = driver.execute_script(JS_PAGE)['imgs']
    broken = [a for _, w, a in imgs if not w > 0]
    if not imgs: problems.append(f"cohort page {page}: no QA thumbnails")
    if broken: problems.append(f"cohort page {page}: {len(broken)} of {len(imgs)} images do not load: {broken[:3]}")
    statuses = driver.execute_script("return [...document.querySelectorAll('tbody tr')].map(r => r.className)")   # each row's class is its status
    failed = [i for i, t in enumerate(statuses) if t == 'failed']
    if failed and failed != list(range(len(failed))): problems.append(f"cohort page {page}: failed cases are not listed first (rows {failed})")
    driver.save_screenshot(str(shots/'5-cohort-page.png'))
    log(f"cohort page opened from disk: {len(statuses)} cases, {len(imgs)} images, {len(failed)} failed listed first")

def first_line(e:Exception)->str:
    "The message of `e` without selenium's stack trace of the browser."
    return str(getattr(e, 'msg', None) or e).split('\n  (Session info')[0].split('\nStacktrace:')[0]

def main(pages=None, shots=None):
    shots = Path(shots or tempfile.mkdtemp(prefix='fusion_nb_browser_shots_')); shots.mkdir(parents=True, exist_ok=True)
    log(f"screenshots in {shots}")
    start = time.monotonic()
    problems.extend(f"self-test of the browser search: {e}" for e in self_test())
    with tempfile.TemporaryDirectory(prefix='fusion_nb_browser_') as tmp:
        work = Path(tmp)
        try:
            if pages is None:   # make the pages here
                pages = work/'pages'
                r = subprocess.run([sys.executable, str(root/'tools'/'check_docs.py'), '--html', str(pages)], cwd=root, timeout=1200)
                if r.returncode: problems.append("tools/check_docs.py failed (see above); pages checked as far as they were made")
            pages = Path(pages)
            if not (pages/'manifest.json').is_file(): raise RuntimeError(f"{pages}/manifest.json not found: make the pages with tools/check_docs.py --html {pages}")
            (work/'lab').mkdir()
            write_user_notebook(work/'lab')
            with chromium(work) as driver:
                with jupyterlab(work/'lab', work/'jupyter') as (url, token):
                    try: check_viewer(driver, url, token, shots)
                    except Exception as e:
                        with contextlib.suppress(Exception): driver.save_screenshot(str(shots/'0-failure.png'))
                        problems.append(f"JupyterLab: {type(e).__name__}: {first_line(e)} (screenshot 0-failure.png)")
                check_pages(driver, pages, shots)
                check_cohort_page(driver, work, shots)
        except Exception as e: problems.append(f"could not run: {type(e).__name__}: {first_line(e)}")
    for p in problems: log(f"PROBLEM: {p}")
    log(f"{'FAILED' if problems else 'passed'} in {time.monotonic() - start:.0f} s; {len(problems)} problem(s); screenshots in {shots}")
    return 1 if problems else 0

if __name__ == '__main__':
    # `timeout` and CI stop with SIGTERM: exit through the `finally` blocks, which stop JupyterLab and Chromium
    signal.signal(signal.SIGTERM, lambda *_: sys.exit('browser: stopped by SIGTERM'))
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--pages', metavar='DIR', help='HTML pages and manifest.json made by tools/check_docs.py --html DIR (default: make them)')
    ap.add_argument('--shots', metavar='DIR', help='where the screenshots go (default: a new temporary folder)')
    ap.add_argument('--find', action='store_true', help='only print the browser and driver the test would use (exit 1 with the reason if none match)')
    ap.add_argument('--self-test', action='store_true', help="only test the browser search on fake executables")
    a = ap.parse_args()
    if a.self_test:
        errs = self_test()
        for e in errs: log(f"PROBLEM: self-test: {e}")
        log(f"self-test {'FAILED' if errs else 'passed'}"); sys.exit(1 if errs else 0)
    if a.find:
        try: b, d, v = find_browser()
        except RuntimeError as e: log(str(e)); sys.exit(1)
        log(f"browser {b} and driver {d}, version {v}"); sys.exit(0)
    sys.exit(main(a.pages, a.shots))
