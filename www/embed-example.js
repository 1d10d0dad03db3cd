// The example site listens to the component's event, e.g. to count how many
// checked photos had a location (nothing is sent anywhere in this example).
document.addEventListener('thinktwice-result', (event) => {
  const report = event.detail;
  const ids = report.findings.map((f) => f.id);
  document.getElementById('last-result').textContent =
    `Last photo: ${report.findings.length} finding(s)${ids.includes('gps-location') ? ', including its location' : ''}.`;
});
