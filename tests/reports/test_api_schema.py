def test_it_works(client, db):
    response = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")

    assert response.status_code == 200
    schema = response.json()
    assert "/api/v1/indicators/" in schema["paths"]
    assert "/api/v1/facilities/" in schema["paths"]
    parameters = schema["paths"]["/api/v1/indicators/"]["get"]["parameters"]
    assert any(p["name"] == "year" and p["required"] for p in parameters)
