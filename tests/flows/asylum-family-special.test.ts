/**
 * The asylum, family and special-status flows (issue 15) at the Telegram boundary: free
 * text in all seven languages offers the right situation first; a refused asylum seeker
 * gets the appeal's legal and advised last day in their language; a risk of being sent
 * back opens an urgent case that carries the answers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, createTestClock, type Harness, onboard } from '../helpers/harness.js';
import { doStep } from '../helpers/walk.js';

const clock = createTestClock('2026-01-20T10:00:00+03:00');
let h: Harness;
beforeAll(async () => {
  h = await createHarness({ clock, env: { LAWYERS_CHAT_ID: '-100779' } });
});
afterAll(async () => {
  await h.close();
});

type Lang = 'ru' | 'uz' | 'tg' | 'ky' | 'az' | 'ro' | 'en';
const LANGS: Lang[] = ['ru', 'uz', 'tg', 'ky', 'az', 'ro', 'en'];

/** What a user might write, per situation and language, and the entry it must offer first. */
const TEXTS: { entry: string; texts: Record<Lang, string> }[] = [
  {
    entry: 'asylum:stay-now',
    texts: {
      ru: 'Боюсь возвращаться домой, что делать',
      uz: 'Vatanimga qaytishdan qoʻrqaman, boshpana kerak',
      tg: 'Ман паноҳандагӣ мехоҳам',
      ky: 'Башпаанек сурагым келет',
      az: 'sığınacaq istəyirəm',
      ro: 'Vreau azil în Rusia',
      en: 'I need asylum',
    },
  },
  {
    entry: 'asylum:refusal-received',
    texts: {
      ru: 'Мне отказали в убежище',
      uz: 'Boshpana rad etildi',
      tg: 'паноҳандагӣ рад карданд',
      ky: 'башпаанектен баш тартышты',
      az: 'sığınacaqdan imtina etdilər',
      ro: 'Mi s-a refuzat azilul',
      en: 'My asylum application was refused',
    },
  },
  {
    entry: 'family:spouse',
    texts: {
      ru: 'У меня брак с гражданкой России',
      uz: 'Rossiya fuqarosi bilan nikohdaman',
      tg: 'Ман бо шаҳрванди Русия никоҳ дорам',
      ky: 'Орусиянын жараны менен никедемин',
      az: 'Rusiya vətəndaşı ilə nikahdayam',
      ro: 'Sunt căsătorită cu un cetățean rus',
      en: 'I am married to a Russian citizen',
    },
  },
  {
    entry: 'family:out-school',
    texts: {
      ru: 'Ребёнка не берут в школу',
      uz: 'Bolamni maktabga olishmayapti',
      tg: 'Кӯдакамро ба мактаб намегиранд',
      ky: 'Баламды мектепке алышпайт',
      az: 'Uşağımı məktəbə götürmürlər',
      ro: 'Copilul meu nu e primit la școală',
      en: 'My son needs a school',
    },
  },
  {
    entry: 'special-status:ru-citizen',
    texts: {
      ru: 'У меня двойное гражданство',
      uz: 'Menda qoʻsh fuqarolik bor',
      tg: 'Ман шаҳрвандии дугона дорам',
      ky: 'Менде кош жарандык бар',
      az: 'Məndə ikili vətəndaşlıq var',
      ro: 'Am cetățenie dublă',
      en: 'I have dual citizenship',
    },
  },
  {
    entry: 'special-status:out-compatriot',
    texts: {
      ru: 'Как попасть в программу соотечественников',
      uz: 'Vatandoshlar dasturi haqida',
      tg: 'Барномаи ҳамватанон чист',
      ky: 'Мекендештер программасы',
      az: 'Həmvətənlər proqramı',
      ro: 'Programul pentru compatrioți',
      en: 'Compatriots programme',
    },
  },
  {
    entry: 'special-status:eaeu-days',
    texts: {
      ru: 'Мой трудовой договор закончился',
      uz: 'Mehnat shartnomam tugadi',
      tg: 'Шартномаи меҳнатиам тамом шуд',
      ky: 'Эмгек келишимим бүттү',
      az: 'Əmək müqaviləm bitdi',
      ro: 'Contractul meu s-a încheiat ieri',
      en: 'My work contract ended',
    },
  },
];

describe('free text reaches the asylum, family and special-status situations', () => {
  it.each(LANGS.map((lng, i) => ({ lng, user: 75_100 + i })))('in $lng: each situation is offered first, labelled in the user’s language', async ({ lng, user }) => {
    const t = h.container.translator.forLanguage(lng);
    await onboard(h, user, lng);
    for (const { entry, texts } of TEXTS) {
      await h.send(user, texts[lng]);
      const [flowId, node] = entry.split(':') as [string, string];
      const last = h.last(user);
      const entryButtons = last.data.filter((d) => d.startsWith('fn:'));
      expect(entryButtons[0], `${lng} "${texts[lng]}"`).toBe(`fn:${flowId}:${node}`);
      expect(last.buttons).toContain(t(`${flowId}.entries.${node}`, { ns: 'flows' }));
    }
  });

  it('offers the asylum situation for "беженец" and "убежище" in Russian', async () => {
    for (const text of ['Я беженец из Афганистана', 'Как получить убежище?']) {
      await h.send(75_100, text);
      expect(h.last(75_100).data.find((d) => d.startsWith('fn:'))).toBe('fn:asylum:stay-now');
    }
  });

  it('a tap on the refusal entry asks for the date the refusal was received', async () => {
    const ky = h.container.translator.forLanguage('ky');
    await h.send(75_103, 'башпаанектен баш тартышты');
    await h.press(75_103, 'fn:asylum:refusal-received');
    expect(h.last(75_103).html).toContain(ky('asylum.nodes.refusal-received.text', { ns: 'flows' }));
  });
});

describe('asylum refused: the appeal’s last day', () => {
  it('counts one month from 15.01.2026 — legal 15.02 (a Sunday; a court moves it to 16.02), advised 13.02 — in Kyrgyz, and a lawyer sees the answers', async () => {
    clock.set('2026-01-20T10:00:00+03:00');
    const ky = h.container.translator.forLanguage('ky');
    await onboard(h, 75_201, 'ky');
    await h.press(75_201, 'f:asylum');
    // The first screen offers protection, never "leave Russia".
    expect(h.last(75_201).html).toContain(ky('asylum.nodes.topic.text', { ns: 'flows' }));
    await doStep(h, 75_201, 'asylum', { choose: 'refused' });
    await doStep(h, 75_201, 'asylum', { enter: '15.01.2026' });
    const answer = h.last(75_201).html;
    expect(answer).toContain(ky('asylum.nodes.out-refused.text', { ns: 'flows' }).slice(0, 40));
    expect(answer).toContain(ky('rules.asylum-appeal.title', { ns: 'flows' }));
    expect(answer).toContain('15.02.2026');
    expect(answer).toContain('16.02.2026');
    expect(answer).toContain('13.02.2026');
    expect(answer).toContain('4528-1');

    await h.press(75_201, ky('menu.lawyer'));
    await h.send(75_201, 'Эмне кылсам болот?');
    await h.press(75_201, 'cs');
    const [opened] = await h.container.cases.listForUser(75_201);
    expect(opened?.priority).toBe('normal');
    expect(opened?.summaryRu).toContain('15.01.2026');
    expect(opened?.summaryRu).toContain('Мне отказали');
  });

  it('a refusal received on 01.10.2026 is past the month on 06.12.2026: the answer says so and gives 02.11.2026', async () => {
    clock.set('2026-12-06T10:00:00+03:00');
    const ru = h.container.translator.forLanguage('ru');
    await onboard(h, 75_202, 'ru');
    await h.press(75_202, 'f:asylum');
    await doStep(h, 75_202, 'asylum', { choose: 'refused' });
    await doStep(h, 75_202, 'asylum', { enter: '01.10.2026' });
    const answer = h.last(75_202).html;
    expect(answer).toContain(ru('asylum.nodes.out-refused-late.text', { ns: 'flows', appeal_by: '02.11.2026' }).slice(0, 60));
    expect(answer).toContain('02.11.2026');
  });
});

describe('a risk of being sent back', () => {
  it('opens an urgent case from the answer, announced to the lawyers at once, with the flow’s topic', async () => {
    clock.set('2026-12-06T10:00:00+03:00');
    const tg = h.container.translator.forLanguage('tg');
    await onboard(h, 75_301, 'tg');
    await h.press(75_301, 'f:asylum');
    await doStep(h, 75_301, 'asylum', { choose: 'sent-back' });
    expect(h.last(75_301).html).toContain(tg('asylum.nodes.out-sent-back.text', { ns: 'flows' }).slice(0, 40));
    // The SOS flow is one tap away from this answer.
    expect(h.last(75_301).data).toContain('f:sos');
    await h.press(75_301, tg('menu.lawyer'));
    await h.send(75_301, 'Маро фардо ихроҷ мекунанд');
    await h.press(75_301, 'cs');
    const [opened] = await h.container.cases.listForUser(75_301);
    expect(opened?.priority).toBe('urgent');
    expect(opened?.topic).toBe('status');
    expect(opened?.summaryRu).toContain('СРОЧНО (риск высылки или выдачи)');
    await h.deliver();
    expect(h.api.view(-100_779).messages.some((m) => m.html.includes('СРОЧНО'))).toBe(true);
  });
});

describe('special cases', () => {
  it('gives an EAEU worker whose contract ended on 17.12.2026 the 15th day (01.01.2027, a holiday; 11.01.2027 if it moves) and the advised 30.12.2026, in Kyrgyz', async () => {
    clock.set('2026-12-18T10:00:00+03:00');
    const ky = h.container.translator.forLanguage('ky');
    await onboard(h, 75_401, 'ky');
    await h.press(75_401, 'f:special-status');
    await doStep(h, 75_401, 'special-status', { choose: 'eaeu-ended' });
    await doStep(h, 75_401, 'special-status', { choose: 'over-90' });
    await doStep(h, 75_401, 'special-status', { enter: '17.12.2026' });
    const answer = h.last(75_401).html;
    expect(answer).toContain(ky('rules.eaeu-new-contract.title', { ns: 'flows' }));
    expect(answer).toContain('01.01.2027');
    expect(answer).toContain('11.01.2027');
    expect(answer).toContain('30.12.2026');
  });

  it('keeps "I hold Russian citizenship" as a fact: the next time the answer comes without the question', async () => {
    const ru = h.container.translator.forLanguage('ru');
    await onboard(h, 75_402, 'ru');
    await h.press(75_402, 'f:special-status');
    await doStep(h, 75_402, 'special-status', { choose: 'ru-citizen' });
    await doStep(h, 75_402, 'special-status', { choose: 'yes' });
    const first = h.last(75_402).html;
    expect(first).toContain(ru('special-status.nodes.out-ru-citizen.text', { ns: 'flows' }).slice(0, 40));
    await h.press(75_402, 'f:special-status');
    await doStep(h, 75_402, 'special-status', { choose: 'ru-citizen' });
    expect(h.last(75_402).html).toContain(ru('special-status.nodes.out-ru-citizen.text', { ns: 'flows' }).slice(0, 40));
  });
});
