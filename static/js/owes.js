// OWES import: show upload progress for large files (htmx xhr progress events; CSP-safe).
(function () {
  "use strict";
  document.addEventListener("htmx:xhr:progress", function (evt) {
    var form = evt.target.closest ? evt.target.closest(".owes-upload") : null;
    if (!form || !evt.detail.lengthComputable) { return; }
    var box = form.querySelector(".owes-progress");
    var bar = form.querySelector("progress");
    if (!box || !bar) { return; }
    box.hidden = false;
    bar.value = Math.round(evt.detail.loaded / evt.detail.total * 100);
  });
})();
