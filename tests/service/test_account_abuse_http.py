"""Issue 12, item 4, over real HTTP: code guesses in parallel, and clients behind the reverse proxy.

The platform as it runs in production (gunicorn, 3 workers x 4 threads, production settings, PostgreSQL),
talked to over HTTP on 127.0.0.1, which plays the city's reverse proxy: it is gunicorn's only client, and
``X-Forwarded-For`` carries the address of the browser behind it (production trusts one proxy).

* twenty wrong codes sent at the same moment, in one session, to the email sign-in code and to the phone
  sign-up code: at most three are compared with the code, and the right code sent afterwards signs in
  nobody (allauth counted tries in the session, which each parallel request read before any wrote it);
* a browser that fails twenty passwords is stopped, another browser behind the same proxy signs in, and
  a made-up ``X-Forwarded-For`` in front of the proxy's entry gains nothing.
"""

from __future__ import annotations

import http.client
import json
import re
import secrets
import string
import threading
import urllib.parse
from collections.abc import Iterator
from http.cookies import SimpleCookie
from pathlib import Path

import psycopg
import pytest

from tests.service.production import Service, production_service, stop

pytestmark = pytest.mark.postgres
BURST = 20
EMAIL, NUMBER, PASSWORD = "rosa-burst@example.org", "+32470665544", "zonnige-dinsdag-aan-de-leie"
INCORRECT = "Incorrect code."
NOT_RIGHT = "This code is not right. Check the text message and try again."
TOO_MANY = "Too many failed login attempts. Try again later."

SETUP = f"""
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from apps.people.models import Person

user = get_user_model().objects.create_user(username="{EMAIL}", email="{EMAIL}", password="{PASSWORD}")
EmailAddress.objects.create(user=user, email="{EMAIL}", verified=True, primary=True)
Person.objects.create(user=user, first_name="Rosa", last_name="Burst", email="{EMAIL}")
"""


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    with production_service(tmp_path_factory, "abuse") as platform:
        platform.manage("migrate", "--noinput", "-v", "0")
        platform.manage("createcachetable")
        platform.manage("collectstatic", "--noinput", "-v", "0")
        platform.manage("shell", "-c", SETUP)
        web = platform.start_gunicorn(workers=3, threads=4)
        try:
            yield platform
        finally:
            stop(web)


class Browser:
    """One browser behind the proxy: its cookies, and the address the proxy writes in X-Forwarded-For."""

    def __init__(self, port: int, forwarded_for: str = "", cookies: dict[str, str] | None = None) -> None:
        self.port, self.forwarded_for = port, forwarded_for
        csrf = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(32))
        self.cookies = dict(cookies or {"__Host-csrftoken": csrf})

    def send(self, method: str, path: str, form: dict[str, str] | None = None) -> tuple[int, str, str]:
        origin = f"https://127.0.0.1:{self.port}"
        headers = {
            "X-Forwarded-Proto": "https",
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
            "Origin": origin,
            "Referer": origin + path,
        }
        if self.forwarded_for:
            headers["X-Forwarded-For"] = self.forwarded_for
        body = ""
        if form is not None:
            body = urllib.parse.urlencode({"csrfmiddlewaretoken": self.cookies["__Host-csrftoken"], **form})
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response.status, response.getheader("Location") or "", response.read().decode()

    def signed_in(self) -> bool:
        status, where, _ = self.send("GET", "/en/me/")
        return status == 200 and not where


def all_at_once(browsers: list[Browser], path: str, forms: list[dict[str, str]]) -> list[tuple[int, str, str]]:
    barrier = threading.Barrier(len(browsers), timeout=60)
    answers: list[tuple[int, str, str] | None] = [None] * len(browsers)

    def post(index: int) -> None:
        barrier.wait()
        answers[index] = browsers[index].send("POST", path, forms[index])

    threads = [threading.Thread(target=post, args=(i,)) for i in range(len(browsers))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)
    assert all(answer is not None for answer in answers), "every request got an answer"
    return [answer for answer in answers if answer is not None]


def delivered(service: Service) -> str:
    """Run the queued tasks (email to files, SMS to the worker's output): the worker's output."""
    return service.manage("db_worker", "--batch")


def code_tries(service: Service) -> list[int]:
    with psycopg.connect(**service.dsn) as connection:
        return [row[0] for row in connection.execute("SELECT tries FROM people_codetries ORDER BY id")]


def wrong_codes(right: str, make: str) -> list[dict[str, str]]:
    """Twenty codes of the right shape, none of them the right one."""
    codes: list[str] = []
    while len(codes) < BURST:
        guess = "".join(secrets.choice(make) for _ in right)
        if guess != right and guess not in codes:
            codes.append(guess)
    return [{"code": code} for code in codes]


def twenty_email_code_guesses_at_once(service: Service) -> None:
    browser = Browser(service.port)
    status, where, _ = browser.send("POST", "/en/accounts/login/code/", {"email": EMAIL})
    assert status == 302 and where.endswith("/accounts/login/code/confirm/"), (status, where)
    delivered(service)
    mail = "\n".join(path.read_text() for path in sorted(Path(service.env["COP_EMAIL_FILE_PATH"]).iterdir()))
    code = re.findall(r"\b([A-Z0-9]{4}-[A-Z0-9]{4})\b", mail)[-1]
    plain = wrong_codes(code.replace("-", ""), "ABCDEFGHJKLMNPQRSTUVWXYZ23456789")
    guesses = [{"code": f"{guess['code'][:4]}-{guess['code'][4:]}"} for guess in plain]
    burst = [Browser(service.port, cookies=browser.cookies) for _ in range(BURST)]
    answers = all_at_once(burst, "/en/accounts/login/code/confirm/", guesses)
    compared = [body for status, _, body in answers if status == 200 and INCORRECT in body]
    assert len(compared) <= 3, f"{len(compared)} of {BURST} guesses were compared with the code"
    assert code_tries(service)[-1] == 3
    Browser(service.port, cookies=browser.cookies).send("POST", "/en/accounts/login/code/confirm/", {"code": code})
    assert not Browser(service.port, cookies=browser.cookies).signed_in(), "the right code afterwards signs in nobody"


def twenty_phone_code_guesses_at_once(service: Service) -> None:
    browser = Browser(service.port)
    status, where, _ = browser.send("POST", "/en/signup/phone/", {"phone": NUMBER})
    assert status == 302 and where.endswith("/signup/phone/code/"), (status, where)
    code = re.findall(r"\b(\d{6})\b", delivered(service))[-1]
    burst = [Browser(service.port, cookies=browser.cookies) for _ in range(BURST)]
    answers = all_at_once(burst, "/en/signup/phone/code/", wrong_codes(code, string.digits))
    compared = [body for status, _, body in answers if status == 200 and NOT_RIGHT in body]
    assert len(compared) <= 2, f"{len(compared)} guesses were told 'not right' (the third ends the attempt)"
    assert code_tries(service)[-1] == 3
    Browser(service.port, cookies=browser.cookies).send("POST", "/en/signup/phone/code/", {"code": code})
    assert not Browser(service.port, cookies=browser.cookies).signed_in(), "the right code afterwards signs in nobody"
    with psycopg.connect(**service.dsn) as connection:
        made = connection.execute("SELECT count(*) FROM people_person WHERE phone = %s", [NUMBER]).fetchone()
    assert made == (0,), "no account was made for the number"


def one_browser_behind_the_proxy_fails_twenty_passwords(service: Service) -> None:
    attacker = Browser(service.port, forwarded_for="203.0.113.10")
    for n in range(20):
        attacker.send("POST", "/en/accounts/login/", {"login": f"gok-{n}@example.org", "password": "fout-123456789"})
    _, _, body = attacker.send("POST", "/en/accounts/login/", {"login": EMAIL, "password": PASSWORD})
    assert TOO_MANY in body and not attacker.signed_in(), "the browser that failed twenty times is stopped"
    spoofing = Browser(service.port, forwarded_for="198.51.100.77, 203.0.113.10")
    spoofing.send("POST", "/en/accounts/login/", {"login": EMAIL, "password": PASSWORD})
    assert not spoofing.signed_in(), "an address made up in front of the proxy's gains nothing"
    neighbour = Browser(service.port, forwarded_for="198.51.100.20")
    status, where, _ = neighbour.send("POST", "/en/accounts/login/", {"login": EMAIL, "password": PASSWORD})
    assert neighbour.signed_in(), f"another browser behind the same proxy signs in ({status} {where})"


def test_parallel_code_guesses_and_clients_behind_the_proxy(service: Service) -> None:
    """One test for the three, on one (slow to start) service."""
    twenty_email_code_guesses_at_once(service)
    twenty_phone_code_guesses_at_once(service)
    one_browser_behind_the_proxy_fails_twenty_passwords(service)
    assert json.dumps(code_tries(service)) == "[3, 3]"
