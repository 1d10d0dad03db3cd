// Opens the full checker (the web app, bundled in the extension) in a tab.
document.getElementById('open').addEventListener('click', () => {
  chrome.tabs.create({ url: chrome.runtime.getURL('index.html') });
  window.close();
});

// Where to get help if a photo is already being misused: the app's help page, bundled too.
document.getElementById('help').addEventListener('click', (event) => {
  event.preventDefault();
  chrome.tabs.create({ url: chrome.runtime.getURL('help.html') });
  window.close();
});
