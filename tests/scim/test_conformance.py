"""scim2-tester, the SCIM RFC conformance checker, run against the live test server."""

import httpx2
import pytest
from scim2_client.engines.httpx2 import SyncSCIMClient
from scim2_tester import Status, check_server


@pytest.mark.django_db(transaction=True)
def test_scim2_tester_runs_every_check_and_all_pass(live_server, scim_token):
    http = httpx2.Client(
        base_url=f"{live_server.url}/scim/v2",
        headers={"Authorization": f"Bearer {scim_token}"},
        timeout=20,
    )
    client = SyncSCIMClient(http)
    results = check_server(client)
    failures = [
        f"{result.title} [{result.resource_type or '-'}]: {result.status.name} {result.reason}"
        for result in results
        if result.status not in {Status.SUCCESS}
    ]
    print(f"scim2-tester: {len(results)} checks")
    for result in results:
        print(f"  {result.status.name:8} {result.title} [{result.resource_type or '-'}]")
    # The checker ran the discovery, CRUD and PATCH checks for both resource types.
    titles = {result.title for result in results}
    assert len(results) >= 30, titles
    assert {"User", "Group"} <= {result.resource_type for result in results}
    assert not failures, "\n".join(failures)
