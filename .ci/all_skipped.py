"""Fails unless the JUnit report holds tests and every one of them was skipped."""

import sys
import xml.etree.ElementTree as ET

suites = ET.parse(sys.argv[1]).getroot().iter("testsuite")  # noqa: S314
counts = {"tests": 0, "skipped": 0, "failures": 0, "errors": 0}
for suite in suites:
    for key in counts:
        counts[key] += int(suite.get(key, 0))
print(f"shared-data tests without the data: {counts}")
if counts["tests"] == 0 or counts["skipped"] != counts["tests"]:
    sys.exit("every test that reads ../shared/data must skip when it is absent")
