// Ready-made replies: choosing one fills the textarea named by data-fill (staff can still edit it).
document.querySelectorAll("select[data-fill]").forEach(function (select) {
  select.addEventListener("change", function () {
    var option = select.options[select.selectedIndex];
    var target = document.getElementById(select.getAttribute("data-fill"));
    if (target && option && option.getAttribute("data-text")) {
      target.value = option.getAttribute("data-text");
      target.focus();
    }
  });
});
