// Sends a safer copy on from the page: straight to another app through the
// phone's share sheet (Web Share with files) where the browser can share files,
// otherwise as a download. Owns only that choice; never shares anything but the
// File it is given (the safer copy, made and re-checked by the core), and never
// over the network: the share sheet hands the file to an app on this device.

/**
 * Shares `file` (a File) with the share sheet, or downloads it when files cannot be shared here.
 * Resolves 'shared', 'cancelled' (the person closed the sheet) or 'downloaded'.
 */
export async function sendFile(file) {
  const data = { files: [file] };
  if (typeof navigator.canShare === 'function' && typeof navigator.share === 'function' && navigator.canShare(data)) {
    try {
      await navigator.share(data);
      return 'shared';
    } catch (err) {
      if (err && err.name === 'AbortError') return 'cancelled';
      console.warn('sharing failed, downloading instead:', err);
    }
  }
  download(file);
  return 'downloaded';
}

function download(file) {
  const url = URL.createObjectURL(file);
  const link = document.createElement('a');
  link.href = url;
  link.download = file.name;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
}
