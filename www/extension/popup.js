// Opens the full checker (the web app, bundled in the extension) in a tab.
document.getElementById('open').addEventListener('click', () => {
  chrome.tabs.create({ url: chrome.runtime.getURL('index.html') });
  window.close();
});
