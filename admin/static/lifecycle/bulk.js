// A bulk decide or an audit chain check that has more to do goes on with its next batch by itself, until the user
// stops it (the form with id bulk-continue).
(function () {
  var form = document.getElementById("bulk-continue");
  if (!form) { return; }
  var timer = window.setTimeout(function () { form.submit(); }, 800);
  document.getElementById("bulk-stop").addEventListener("click", function () {
    window.clearTimeout(timer);
    document.getElementById("bulk-auto").textContent = form.getAttribute("data-stopped") || "";
    this.disabled = true;
  });
})();
