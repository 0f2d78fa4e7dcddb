// The patient page inside a frame: an EHR that shows its own patient banner around the app (need_patient_banner
// false) hides the app's. Opened on its own (a CDS card's link, a new tab) the page is not framed and keeps its
// banner; without this script the banner always shows, the safe default.
(function () {
  var framed;
  try {
    framed = window.self !== window.top;
  } catch (e) {
    framed = true; // a cross-origin parent that refuses even this comparison is still a frame
  }
  if (framed) {
    document.documentElement.classList.add('framed');
  }
})();
