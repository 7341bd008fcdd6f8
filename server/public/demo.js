// Minimal asker for the API (the full widget lives in widget/). Renders with textContent only.
const form = document.getElementById('ask');
const out = document.getElementById('out');
let conversationId;

function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text) e.textContent = text;
  if (cls) e.className = cls;
  return e;
}

form.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const question = form.q.value.trim();
  if (!question) return;
  out.replaceChildren(el('p', '…'));
  try {
    const res = await fetch('/api/ask', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ question, conversationId }),
    });
    const body = await res.json();
    if (!res.ok) throw new Error(body.error?.message || res.statusText);
    conversationId = body.conversationId;
    const box = el('div', '', 'card');
    box.append(el('p', `Decision: ${body.action}`, 'action'));
    if (body.answer) {
      const link = el('a', body.answer.title);
      link.href = body.answer.url;
      const h = el('h2');
      h.append(link);
      box.append(h, el('p', body.answer.text), el('p', `confidence ${body.answer.confidence}`, 'meta'));
    }
    if (body.suggestions.length) {
      box.append(el('p', body.action === 'clarify' ? 'Did you mean:' : 'Related:'));
      const ul = el('ul');
      for (const s of body.suggestions) {
        const a = el('a', s.title);
        a.href = `/articles/${encodeURIComponent(s.articleId)}`;
        const li = el('li');
        li.append(a);
        ul.append(li);
      }
      box.append(ul);
    }
    out.replaceChildren(box);
  } catch (error) {
    out.replaceChildren(el('p', `Something went wrong: ${error.message}`, 'error'));
  }
});
