const BOUNDARY = 'loyaal-test-upload';

/**
 * A request body uploading one file as the form field `file`, as the admin app's import screen
 * sends it: spread into `inject` or `Client.request` (`{ method, url, ...fileUpload(…) }`).
 */
export function fileUpload(
  filename: string,
  content: string | Buffer,
  contentType = 'text/csv',
): { headers: Record<string, string>; payload: Buffer } {
  return {
    headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
    payload: Buffer.concat([
      Buffer.from(
        `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\n` +
          `Content-Type: ${contentType}\r\n\r\n`,
      ),
      typeof content === 'string' ? Buffer.from(content) : content,
      Buffer.from(`\r\n--${BOUNDARY}--\r\n`),
    ]),
  };
}
