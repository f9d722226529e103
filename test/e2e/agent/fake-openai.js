'use strict';
/**
 * A fake OpenAI-compatible chat model server for the AI Agent end-to-end checks.
 *
 * POST /v1/chat/completions (JSON or `stream: true` server-sent events):
 *   - no `tool` message yet in the conversation → one tool call. The tool and its arguments come from
 *     the last user message: `[[call <toolName> <JSON arguments>]]` (toolName `*` = the first tool
 *     offered); without that, the first tool with the user's words in every string argument;
 *   - a `tool` message present → a final answer that quotes it: `TOOL RESULT: <content>`.
 * Stateless, so executions may run in any order or resume hours later.
 *
 * Every request is recorded (`requests`, or GET /__fake/requests) so a test can assert what the model
 * received: the tool definitions (name, description, parameters) and the tool messages.
 * GET /v1/models lists one model, for the credential test.
 */
const http = require('http');

const MODEL = 'gpt-4o-mini';
const CALL = /\[\[call\s+(\S+)\s+(\{[\s\S]*?\})\s*\]\]/;
const FINAL_PREFIX = 'TOOL RESULT: ';

function textOf(content) {
	if (typeof content === 'string') return content;
	if (Array.isArray(content))
		return content.map((part) => (typeof part === 'string' ? part : part.text || '')).join('');
	return '';
}

/** What the model answers to a chat completions request: { content } or { toolCall }. */
function decide(body) {
	const messages = Array.isArray(body.messages) ? body.messages : [];
	const toolMessages = messages.filter((m) => m.role === 'tool');
	if (toolMessages.length) {
		return { content: FINAL_PREFIX + textOf(toolMessages[toolMessages.length - 1].content) };
	}
	const lastUser = [...messages].reverse().find((m) => m.role === 'user');
	const match = CALL.exec(textOf(lastUser && lastUser.content));
	const tools = (Array.isArray(body.tools) ? body.tools : []).map((t) => t.function || t);
	if (!tools.length) return { content: 'No tool was offered.' };
	if (!match) {
		// no instruction (e.g. the demo workflow): call the first tool with the user's words for
		// every string argument, as a real model asked to "make an image of …" would
		const userText = textOf(lastUser && lastUser.content);
		const properties = (tools[0].parameters && tools[0].parameters.properties) || {};
		const args = {};
		for (const [name, schema] of Object.entries(properties))
			if (!schema.type || schema.type === 'string') args[name] = userText;
		return { toolCall: toolCall(tools[0].name, JSON.stringify(args)) };
	}
	const tool = match[1] === '*' ? tools[0] : tools.find((t) => t.name === match[1]);
	if (!tool)
		return { content: `Tool ${match[1]} not offered (${tools.map((t) => t.name).join(', ')})` };
	return { toolCall: toolCall(tool.name, match[2]) };
}

let callCounter = 0;
function toolCall(name, args) {
	callCounter += 1;
	return { id: `call_${Date.now().toString(36)}_${callCounter}`, name, arguments: args };
}

function completion(answer) {
	const message = answer.toolCall
		? {
				role: 'assistant',
				content: null,
				tool_calls: [
					{
						id: answer.toolCall.id,
						type: 'function',
						function: { name: answer.toolCall.name, arguments: answer.toolCall.arguments },
					},
				],
			}
		: { role: 'assistant', content: answer.content };
	return {
		id: `chatcmpl-${Date.now().toString(36)}`,
		object: 'chat.completion',
		created: Math.floor(Date.now() / 1000),
		model: MODEL,
		choices: [
			{ index: 0, message, finish_reason: answer.toolCall ? 'tool_calls' : 'stop', logprobs: null },
		],
		usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
	};
}

function streamChunks(answer) {
	const base = {
		id: `chatcmpl-${Date.now().toString(36)}`,
		object: 'chat.completion.chunk',
		created: Math.floor(Date.now() / 1000),
		model: MODEL,
	};
	const delta = answer.toolCall
		? {
				role: 'assistant',
				content: null,
				tool_calls: [
					{
						index: 0,
						id: answer.toolCall.id,
						type: 'function',
						function: { name: answer.toolCall.name, arguments: answer.toolCall.arguments },
					},
				],
			}
		: { role: 'assistant', content: answer.content };
	return [
		{ ...base, choices: [{ index: 0, delta, finish_reason: null }] },
		{
			...base,
			choices: [{ index: 0, delta: {}, finish_reason: answer.toolCall ? 'tool_calls' : 'stop' }],
			usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
		},
	];
}

/** Starts the server on 127.0.0.1:port; resolves { url, baseUrl, requests, toolMessages(), close() }. */
function startFakeOpenAi({ port = 0 } = {}) {
	const requests = [];
	const server = http.createServer((req, res) => {
		let raw = '';
		req.on('data', (chunk) => (raw += chunk));
		req.on('end', () => {
			const send = (status, json) => {
				res.writeHead(status, { 'content-type': 'application/json' });
				res.end(JSON.stringify(json));
			};
			const url = req.url.split('?')[0];
			if (req.method === 'GET' && url === '/__fake/requests') return send(200, requests);
			if (req.method === 'GET' && /\/models$/.test(url))
				return send(200, {
					object: 'list',
					data: [{ id: MODEL, object: 'model', owned_by: 'e2e' }],
				});
			if (req.method !== 'POST' || !/\/chat\/completions$/.test(url))
				return send(404, { error: { message: `${req.method} ${url} is not served by the fake` } });
			let body;
			try {
				body = JSON.parse(raw);
			} catch {
				return send(400, { error: { message: 'body is not JSON' } });
			}
			const answer = decide(body);
			requests.push({ at: Date.now(), path: url, body, answer });
			if (!body.stream) return send(200, completion(answer));
			res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
			for (const chunk of streamChunks(answer)) res.write(`data: ${JSON.stringify(chunk)}\n\n`);
			res.end('data: [DONE]\n\n');
		});
	});
	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, '127.0.0.1', () => {
			const address = server.address();
			const baseUrl = `http://127.0.0.1:${address.port}/v1`;
			resolve({
				url: `http://127.0.0.1:${address.port}`,
				baseUrl,
				port: address.port,
				requests,
				/** The tool messages of every recorded request whose conversation had one. */
				toolMessages: () =>
					requests.flatMap((r) =>
						(r.body.messages || [])
							.filter((m) => m.role === 'tool')
							.map((m) => ({ ...m, content: textOf(m.content) })),
					),
				close: () => new Promise((done) => server.close(() => done())),
			});
		});
	});
}

/** The user message that makes the fake model call `toolName` with `args`. */
function callInstruction(toolName, args) {
	return `Please use the tool. [[call ${toolName} ${JSON.stringify(args)}]]`;
}

module.exports = { startFakeOpenAi, callInstruction, decide, FINAL_PREFIX, MODEL };
