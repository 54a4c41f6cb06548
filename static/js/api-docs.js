// The API page: Swagger UI over the portal's OpenAPI schema (vendored, no CDN). The schema URL
// comes from the element's data-schema-url; "Try it out" uses the signed-in session.
(function () {
  "use strict";
  const element = document.getElementById("swagger-ui");
  if (!element || typeof SwaggerUIBundle === "undefined") {
    return;
  }
  SwaggerUIBundle({
    url: element.dataset.schemaUrl,
    domNode: element,
    deepLinking: false,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    supportedSubmitMethods: ["get"],
  });
})();
