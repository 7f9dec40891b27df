// Raw HTTP/1.1 connections for the tests that need to hold a socket open, send a request head
// in pieces, or connect from another loopback address (Linux routes all of 127/8 to lo, so
// localAddress 127.0.0.2 makes the server see another client).
import net from 'node:net';

/* Resolves to an open socket to base (http://127.0.0.1:PORT) from localAddress. The socket
 * records its state: s.gone (true once the server closed it), s.data (bytes received). */
export function openRaw(base, localAddress = '127.0.0.1') {
	const u = new URL(base);
	return new Promise((resolve, reject) => {
		const s = net.connect({ host: u.hostname, port: Number(u.port), localAddress });
		s.data = Buffer.alloc(0);
		s.gone = false;
		s.on('data', (d) => (s.data = Buffer.concat([s.data, d])));
		s.on('close', () => (s.gone = true));
		s.on('error', () => {}); /* a reset is a close too */
		s.once('connect', () => resolve(s));
		s.once('error', reject);
	});
}

/* Parses one whole response at the start of buf: {status, headers, body, json, size}, or null
 * when it is not all there yet. */
export function parseResponse(buf) {
	const end = buf.indexOf('\r\n\r\n');
	if (end < 0) return null;
	const lines = buf.subarray(0, end).toString('latin1').split('\r\n');
	const status = Number(lines[0].split(' ')[1]);
	const headers = {};
	for (const l of lines.slice(1)) {
		const i = l.indexOf(':');
		headers[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim();
	}
	const len = Number(headers['content-length'] || 0);
	if (buf.length < end + 4 + len) return null;
	const body = buf.subarray(end + 4, end + 4 + len).toString('utf8');
	let json = null;
	try {
		json = JSON.parse(body);
	} catch {
		/* not JSON: the caller asserts on it */
	}
	return { status, headers, body, json, size: end + 4 + len };
}

/* Sends a GET on s and resolves to its response, or to null if the server closes the
 * connection first. Leaves the connection open (keep-alive) unless the server closes it. */
export function rawGet(s, path, extraHeaders = '') {
	const start = s.data.length;
	return new Promise((resolve) => {
		const check = () => {
			const r = parseResponse(s.data.subarray(start));
			if (r || s.gone) {
				s.off('data', check);
				s.off('close', check);
				resolve(r);
			}
		};
		s.on('data', check);
		s.on('close', check);
		s.write(`GET ${path} HTTP/1.1\r\nHost: fangkong\r\n${extraHeaders}\r\n`);
		check();
	});
}

/* Resolves once the server has closed s. */
export function closedBy(s) {
	return s.gone ? Promise.resolve() : new Promise((r) => s.once('close', r));
}
