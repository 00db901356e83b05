// The API documentation page (app.factory.api_docs): Swagger UI over our OpenAPI document, with
// no validator badge (it would call an outside server). A file, not inline, for the CSP. Deep
// links are off: each is a link inside the operation's button (a control within a control, and a
// target too small to hit), and the page's addresses need no fragment to be shared.
window.ui = SwaggerUIBundle({
  url: "/api/v1/openapi.json",
  dom_id: "#swagger-ui",
  layout: "BaseLayout",
  deepLinking: false,
  showExtensions: true,
  showCommonExtensions: true,
  validatorUrl: null,
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset],
});

// A code example scrolls sideways when it is wide: a keyboard user must be able to reach it to
// scroll it (WCAG 2.1.1), so each one Swagger UI draws is put in the tab order.
// A parameter with a list of values is drawn as a select with no label: it is named after the
// parameter, as its row reads (WCAG 4.1.2).
new MutationObserver(() => {
  document.querySelectorAll("#swagger-ui pre:not([tabindex])").forEach((pre) => {
    pre.setAttribute("tabindex", "0");
  });
  document.querySelectorAll("#swagger-ui tr[data-param-name] select:not([aria-label])").forEach((select) => {
    select.setAttribute("aria-label", select.closest("tr").dataset.paramName);
  });
}).observe(document.getElementById("swagger-ui"), { childList: true, subtree: true });
