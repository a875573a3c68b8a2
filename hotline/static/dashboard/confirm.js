// A form with data-confirm asks before it is sent (the CSP allows no inline handlers, so it is done here).
document.addEventListener("submit", function (event) {
  var question = event.target.getAttribute && event.target.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});
