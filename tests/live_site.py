"""Helpers for tests that talk to a real server on loopback or drive headless Chromium: a free port,
an app served by uvicorn in a thread, a headless browser whose driver path is given explicitly (so
Selenium Manager never tries to download one)."""
from __future__ import annotations

import shutil
import socket
import tempfile
import threading
import time
from contextlib import contextmanager
from typing import Iterator

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serving(app, log_level: str = "error", start_timeout: float = 30) -> Iterator[int]:
    """Serve ``app`` on 127.0.0.1 in a thread; yields the port, stops the server afterwards."""
    import uvicorn

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level=log_level))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + start_timeout
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "the test server did not start"
    try:
        yield port
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@contextmanager
def headless_chrome(window: str = "1280,900", extra: tuple[str, ...] = ()) -> Iterator[object]:
    """A headless Chromium driven by Selenium, with a throw-away profile."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--no-first-run", f"--window-size={window}", *extra):
        options.add_argument(flag)
    profile = tempfile.mkdtemp(prefix="tdkt-chromium-")
    options.add_argument(f"--user-data-dir={profile}")
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def exact_viewport(driver, width: int, height: int) -> None:
    """Make the page's viewport exactly ``width`` px wide: headless Chromium keeps a window of at
    least ~500 px from --window-size alone, so a "390 px phone" would silently be 500 px."""
    driver.set_window_size(width, height)
    inner = driver.execute_script("return window.innerWidth")
    if inner != width:
        driver.set_window_size(width + (width - inner), height)
    inner = driver.execute_script("return window.innerWidth")
    assert inner == width, f"the browser's viewport is {inner} px, not the {width} px asked"
