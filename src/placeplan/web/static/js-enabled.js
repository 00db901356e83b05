// Run at the top of <body> (base.html), before the page draws: NHS.UK frontend's styles for
// pages with scripts. A file, not inline, so the Content-Security-Policy allows no inline script.
document.body.className += ' js-enabled' + ('noModule' in HTMLScriptElement.prototype ? ' nhsuk-frontend-supported' : '');
