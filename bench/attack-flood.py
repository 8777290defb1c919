#!/usr/bin/env python3
"""The two availability attacks of issue 27, replayed black-box against a running server (Python's standard library
only: an HTTP client of its own, TOTP codes from hmac, nothing of the application's code).

  A. 60 clients post /register for 20 s (each from addresses of its own, so the sign-up limit per address does not
     stop them first), while a real user signs in fully 5 times, a signed-in session opens /account and a load
     balancer polls /actuator/health/readiness.
  B. One client (one address) tries passwords over unknown usernames with 40 threads for 15 s, while a real user
     signs in fully 16 times from another address.

Loopback has a whole /8: the attackers come from 127.0.x.y, the real user from 127.0.0.1. Prints a Markdown report.
Usage: attack-flood.py <port> <label>
"""
import base64
import hashlib
import hmac
import http.client
import random
import re
import string
import struct
import sys
import threading
import time
import urllib.parse

CSRF = re.compile(r'name="_csrf" value="([^"]+)"')
SECRET = re.compile(r'data-copy-value="([A-Z2-7]+)"')
PASSWORD = "correct horse battery staple"


def totp(secret, at=None):
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    step = int((time.time() if at is None else at) // 30)
    digest = hmac.new(key, struct.pack(">Q", step), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return "%06d" % ((struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF) % 1_000_000)


class Browser:
    """Keeps its cookies, follows no redirect, talks from one source address."""

    def __init__(self, port, source="127.0.0.1"):
        self.port, self.source, self.cookies = port, source, {}

    def request(self, method, path, form=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60, source_address=(self.source, 0))
        # Pages as a browser asks for them; the health probe as a load balancer does.
        headers = {"Accept": "*/*" if path.startswith("/actuator") else "text/html"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
            for name, value in response.getheaders():
                if name.lower() == "set-cookie":
                    cookie = value.split(";")[0]
                    key, _, val = cookie.partition("=")
                    if "Max-Age=0" in value:
                        self.cookies.pop(key, None)
                    else:
                        self.cookies[key] = val
            return response.status, response.getheader("Location") or "", text
        finally:
            connection.close()

    def get(self, path):
        return self.request("GET", path)

    def post(self, path, form, page=None):
        """Posts with the CSRF token of the page it came from (fetched first if not given)."""
        if page is None:
            status, _, page = self.get(path)
        match = CSRF.search(page)
        if not match:
            return 0, "", "no form"
        return self.request("POST", path, dict(form, _csrf=match.group(1)))


def enrolled(port, username, source):
    browser = Browser(port, source)
    status, location, _ = browser.post("/register", {"username": username, "password": PASSWORD,
                                                     "confirmPassword": PASSWORD})
    assert location.endswith("/setup-2fa"), (status, location)
    _, _, page = browser.get("/setup-2fa")
    secret = SECRET.search(page).group(1)
    _, location, _ = browser.post("/setup-2fa", {"code": totp(secret)}, page)
    assert location.endswith("/recovery-codes"), location
    browser.post("/recovery-codes/saved", {}, browser.get("/recovery-codes")[2])
    return secret, browser


def full_login(port, username, secret):
    """Password and code; (signed in, seconds, what went wrong)."""
    browser = Browser(port)
    start = time.monotonic()
    status, location, _ = browser.post("/login", {"username": username, "password": PASSWORD})
    if not location.endswith("/verify-2fa"):
        return False, time.monotonic() - start, f"password step {status} {location}"
    status, _, page = browser.get("/verify-2fa")
    status, location, _ = browser.post("/verify-2fa", {"code": totp(secret)}, page)
    ok = status == 302 and location in ("/", "http://127.0.0.1:%d/" % port)
    return ok, time.monotonic() - start, "" if ok else f"code step {status} {location}"


def rate(results):
    good = sum(1 for r in results if r)
    return f"{good} of {len(results)}"


def run_for(seconds, threads, work):
    stop = time.monotonic() + seconds
    workers = [threading.Thread(target=work, args=(i, stop), daemon=True) for i in range(threads)]
    for w in workers:
        w.start()
    return workers


def poll(port, stop, signed_in, results):
    readiness = Browser(port)
    while time.monotonic() < stop:
        for name, browser, path in (("readiness", readiness, "/actuator/health/readiness"),
                                    ("account", signed_in, "/account")):
            start = time.monotonic()
            results[name].append(browser.get(path)[0] == 200)
            results[name + " s"].append(time.monotonic() - start)
        time.sleep(0.5)


def scenario_a(port, people, signed_in):
    answers, lock = {}, threading.Lock()
    counter = iter(range(10**9))

    def register(i, stop):
        while time.monotonic() < stop:
            n = next(counter)
            # Four addresses per client, taken in turn: 60 sign-ups an hour each, past the limit of 20 per address.
            browser = Browser(port, f"127.0.{2 + n % 4}.{1 + i}")
            status, _, _ = browser.post("/register", {"username": f"flood{n}x{random.randrange(10**6)}",
                                                      "password": PASSWORD, "confirmPassword": PASSWORD})
            with lock:
                answers[status] = answers.get(status, 0) + 1

    results = {"readiness": [], "account": [], "login": [], "readiness s": [], "account s": []}
    workers = run_for(20, 60, register)
    stop = time.monotonic() + 20
    poller = threading.Thread(target=poll, args=(port, stop, signed_in, results), daemon=True)
    poller.start()
    times, problems = [], []
    for username, secret in people[:5]:
        time.sleep(3)
        ok, seconds, problem = full_login(port, username, secret)
        results["login"].append(ok)
        times.append(seconds)
        if problem:
            problems.append(problem)
    for w in workers + [poller]:
        w.join()
    return answers, results, times, problems


def scenario_b(port, people):
    answers, lock = {}, threading.Lock()
    source = "127.0.9.9"

    def spray(i, stop):
        browser = Browser(port, source)
        _, _, page = browser.get("/login")
        while time.monotonic() < stop:
            name = "".join(random.choices(string.ascii_lowercase, k=10))
            status, location, text = browser.post("/login", {"username": name, "password": name + "-guess1"}, page)
            key = f"{status} {urllib.parse.urlparse(location).path}" if status == 302 else str(status)
            with lock:
                answers[key] = answers.get(key, 0) + 1

    workers = run_for(15, 40, spray)
    results, times, problems = [], [], []
    start = time.monotonic()
    for username, secret in people[5:21]:
        ok, seconds, problem = full_login(port, username, secret)
        results.append(ok)
        times.append(seconds)
        if problem:
            problems.append(problem)
        time.sleep(max(0.0, start + 15 * (len(results) / 16) - time.monotonic()))
    for w in workers:
        w.join()
    return answers, results, times, problems


def main():
    port, label = int(sys.argv[1]), sys.argv[2]
    people = []
    for i in range(21):
        username = f"real{i}x{random.randrange(10**6)}"
        people.append((username, enrolled(port, username, f"127.0.1.{1 + i}")[0]))
    # Signed in by its enrollment: the session that keeps opening /account.
    _, signed_in = enrolled(port, f"watcher{random.randrange(10**6)}", "127.0.1.100")
    assert signed_in.get("/account")[0] == 200, "the watching session is not signed in"

    # Each enrollment used its code's time step: the sign-ins below start in the next one (replay protection).
    time.sleep(30 - time.time() % 30 + 1)
    a_answers, a_results, a_times, a_problems = scenario_a(port, people, signed_in)
    time.sleep(5)
    b_answers, b_results, b_times, b_problems = scenario_b(port, people)
    print(f"""
### {label}

| | during A: 60 clients signing up for 20 s | during B: one client spraying passwords with 40 threads for 15 s |
|---|---|---|
| attackers' answers (status: count) | {dict(sorted(a_answers.items()))} | {dict(sorted(b_answers.items()))} |
| a real user's full logins (password + code) | {rate(a_results['login'])}, {max(a_times):.1f} s at most | {rate(b_results)}, {max(b_times):.1f} s at most |
| a signed-in `GET /account` every 0.5 s: answered 200, slowest | {rate(a_results['account'])}, {max(a_results['account s']):.1f} s | |
| `/actuator/health/readiness` every 0.5 s: answered 200, slowest | {rate(a_results['readiness'])}, {max(a_results['readiness s']):.1f} s | |

What went wrong for the real user: A {a_problems or 'nothing'}; B {b_problems or 'nothing'}.
""")


if __name__ == "__main__":
    main()
