// Viewer-request function: a request for a folder ("/docs/") is served
// from that folder's index document ("/docs/index.html"). Other paths pass
// through unchanged.
function handler(event) {
  var request = event.request;
  if (request.uri.endsWith('/')) {
    request.uri += 'index.html';
  }
  return request;
}
