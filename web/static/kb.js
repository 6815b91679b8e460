// Knowledge-base helpers: send the CSRF token with htmx requests, and insert a suggested answer in one click.
document.body.addEventListener("htmx:configRequest", function (event) {
  var meta = document.querySelector('meta[name="csrf-token"]');
  if (meta) { event.detail.headers["X-CSRFToken"] = meta.content; }
});
document.body.addEventListener("click", function (event) {
  var button = event.target.closest("[data-kb-insert]");
  if (!button) { return; }
  var target = document.getElementById(button.getAttribute("data-kb-insert"));
  if (!target) { return; }
  var text = button.getAttribute("data-answer") || "";
  target.value = target.value ? target.value.replace(/\s*$/, "\n\n") + text : text;
  target.focus();
});
