// `#tutorial=NAME`: show a built-in tutorial above the playground (TF Playground loads
// tutorials/NAME.html into its article). The name is looked up in TUTORIALS, never used
// as a path, and the text goes in as textContent, so a link cannot inject markup.
import { readHash } from './url.js';
import { TUTORIALS } from './tutorials.js';

const BASE_TITLE = document.title;

function element(tag, text, cls) {
  const el = document.createElement(tag);
  if (text) el.textContent = text;
  if (cls) el.className = cls;
  return el;
}

/** Render the tutorial named in the hash (or hide the box when there is none). */
export function showTutorial(send) {
  const box = document.getElementById('tutorial'), name = readHash().tutorial;
  box.replaceChildren();
  box.hidden = !name;
  document.title = BASE_TITLE;
  if (!name) return;
  const tutorial = Object.hasOwn(TUTORIALS, name) ? TUTORIALS[name] : null;
  if (!tutorial) {
    const known = Object.keys(TUTORIALS).join(', ');
    box.append(element('p', `Unknown tutorial "${name}": use tutorial= one of ${known}.`,
      'status error'));
    box.lastChild.dataset.testid = 'tutorial-error';
    return;
  }
  document.title = `${tutorial.title} – ${BASE_TITLE}`;
  box.append(element('h2', tutorial.title));
  tutorial.steps.forEach((step, i) => {
    const p = element('p', `${i + 1}. ${step.text}`);
    if (step.config) {
      const b = element('button', 'Set this up');
      b.type = 'button';
      b.dataset.testid = `tutorial-step-${i + 1}`;
      b.addEventListener('click', () => send(step.config));
      p.append(' ', b);
    }
    box.append(p);
  });
}

export function listenTutorial(send) {
  showTutorial(send);
  window.addEventListener('hashchange', () => showTutorial(send));
}
