// Behaviour shared by every page, kept out of the HTML so the Content-Security-Policy can
// refuse inline scripts. A <select data-autosubmit> submits its form when changed.
document.addEventListener("change", function (event) {
  var target = event.target;
  if (target && target.matches && target.matches("[data-autosubmit]") && target.form) {
    if (target.form.requestSubmit) {
      target.form.requestSubmit();
    } else {
      target.form.submit();
    }
  }
});
