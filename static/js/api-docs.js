// The API page: Swagger UI over the portal's OpenAPI schema (vendored, no CDN). The schema URL
// comes from the element's data-schema-url; "Try it out" uses the signed-in session.
(function () {
  "use strict";
  const element = document.getElementById("swagger-ui");
  if (!element || typeof SwaggerUIBundle === "undefined") {
    return;
  }
  // Swagger UI's own controls ("Parameters", "Try it out"…) are English whatever the page's
  // language, so its box is lang="en" (WCAG 3.1.2, language of parts). The schema's texts
  // (title, descriptions, summaries) are written in the page's language: they get it back
  // as Swagger UI draws them.
  const pageLanguage = document.documentElement.lang;
  const SCHEMA_TEXTS = [
    ".info .title",
    ".markdown",
    ".renderedMarkdown",
    ".opblock-summary-description",
    ".opblock-tag small",
  ].join(", ");
  if (pageLanguage && pageLanguage !== element.lang) {
    const markSchemaTexts = function () {
      element.querySelectorAll(SCHEMA_TEXTS).forEach(function (node) {
        if (node.lang !== pageLanguage) {
          node.lang = pageLanguage;
        }
      });
    };
    // Only childList changes: setting lang (an attribute) does not wake the observer again.
    new MutationObserver(markSchemaTexts).observe(element, { childList: true, subtree: true });
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
