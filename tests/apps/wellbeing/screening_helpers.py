"""Helpers of the screening tests: walk through the question pages as a browser without JavaScript would."""

from __future__ import annotations

import re
from typing import Any

from django.test import Client

STATE = re.compile(r'name="state" value="([^"]+)"')
ITEM = re.compile(r'name="item" value="([^"]+)"')


def state_of(response: Any) -> str:
    found = STATE.search(response.content.decode())
    assert found is not None, response.content.decode()[:2000]
    return found.group(1)


def item_of(response: Any) -> str:
    found = ITEM.search(response.content.decode())
    assert found is not None, response.content.decode()[:2000]
    return found.group(1)


def start(client: Client, url: str, **fields: Any) -> Any:
    data = {"go": "start", "instrument": "djg6", "answer_format": "3", "mode": "visit", **fields}
    return client.post(url, {key: value for key, value in data.items() if value is not None})


def answer_all(client: Client, url: str, response: Any, answers: dict[str, str]) -> Any:
    """Answer each question shown, in order, with ``answers[item]`` ("skip" for "No answer"); the check page."""
    while 'name="item"' in response.content.decode():
        item = item_of(response)
        response = client.post(url, {"state": state_of(response), "item": item, "answer": answers[item], "go": "next"})
        assert response.status_code == 200, response.content.decode()[:2000]
    return response


def save(client: Client, url: str, response: Any) -> Any:
    return client.post(url, {"state": state_of(response), "go": "save"})
