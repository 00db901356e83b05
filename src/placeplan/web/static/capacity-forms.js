// The scenario's forms: of "the same in every month" and "month by month", show only the inputs
// of the choice taken. The radios stay plain radios (no aria-expanded, which a radio may not
// carry); without this script both sets of inputs are shown and the radio says which counts.
document.querySelectorAll('input[type="radio"][data-pp-shows]').forEach(function (radio) {
  var group = document.querySelectorAll('input[type="radio"][name="' + radio.name + '"]');
  function sync () {
    group.forEach(function (r) {
      var shown = document.getElementById(r.getAttribute('data-pp-shows'));
      if (shown) { shown.hidden = !r.checked; }
    });
  }
  radio.addEventListener('change', sync);
  sync();
});
