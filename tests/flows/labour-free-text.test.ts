/**
 * Free text about work reaches the labour flow's situations in all seven languages: the
 * entry is offered as a button (SOS first where the text is also an emergency, such as a
 * taken passport), and pressing it shows that situation's question.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, createTestClock, type Harness, onboard } from '../helpers/harness.js';

const clock = createTestClock('2026-12-06T10:00:00+03:00');
let h: Harness;
beforeAll(async () => {
  h = await createHarness({ clock });
});
afterAll(async () => {
  await h.close();
});

/** language → situation → a sentence a worker might type. */
const SENTENCES: Record<string, Record<'passport-taken' | 'wage-contract-date' | 'dismissal-ground' | 'out-accident', string>> = {
  ru: { 'passport-taken': 'Работодатель забрал паспорт и не отдаёт', 'wage-contract-date': 'Второй месяц не платит зарплату', 'dismissal-ground': 'Меня вчера уволили', 'out-accident': 'Получил травму на работе' },
  uz: { 'passport-taken': 'Ish beruvchi pasportimni olib qoʻydi', 'wage-contract-date': 'Ikki oydan beri ish haqi bermayapti', 'dismissal-ground': 'Meni ishdan boʻshatishdi', 'out-accident': 'Ishda jarohat oldim' },
  tg: { 'passport-taken': 'Корфармо шиносномаамро гирифт', 'wage-contract-date': 'Ду моҳ аст музд намедиҳад', 'dismissal-ground': 'Маро аз кор озод карданд', 'out-accident': 'Дар кор захмӣ шудам' },
  ky: { 'passport-taken': 'Иш берүүчү паспортумду алып алды', 'wage-contract-date': 'Эки айдан бери айлык бербей жатат', 'dismissal-ground': 'Мени жумуштан бошотушту', 'out-accident': 'Жумушта жаракат алдым' },
  az: { 'passport-taken': 'İşəgötürən pasportumu götürdü', 'wage-contract-date': 'İki aydır maaşımı vermir', 'dismissal-ground': 'Məni işdən çıxardılar', 'out-accident': 'İşdə xəsarət aldım' },
  ro: { 'passport-taken': 'Angajatorul mi-a luat pașaportul', 'wage-contract-date': 'De două luni nu îmi plătește salariul', 'dismissal-ground': 'Am fost concediat ieri', 'out-accident': 'Am avut un accident la muncă' },
  en: { 'passport-taken': 'My employer took my passport', 'wage-contract-date': 'My employer has not paid my salary for two months', 'dismissal-ground': 'I was fired yesterday', 'out-accident': 'I was injured at work' },
};

const FIRST_QUESTION: Record<string, string> = {
  'passport-taken': 'labour.nodes.passport-taken.text',
  'wage-contract-date': 'labour.nodes.wage-contract-date.text',
  'dismissal-ground': 'labour.nodes.dismissal-ground.text',
  'out-accident': 'labour.nodes.out-accident.text',
};

let nextUser = 82_000;
describe.each(Object.keys(SENTENCES))('free text in %s', (lng) => {
  it.each(Object.entries(SENTENCES[lng]!))('%s ← "%s"', async (entry, sentence) => {
    const t = h.container.translator.forLanguage(lng as 'ru');
    const user = nextUser++;
    await onboard(h, user, lng);
    await h.send(user, sentence);
    const offered = h.last(user);
    const label = t(`labour.entries.${entry}`, { ns: 'flows' });
    expect(offered.buttons, `"${sentence}" should offer "${label}"`).toContain(label);
    // A taken passport is also an emergency: SOS comes first, as the SOS keywords say.
    if (entry === 'passport-taken') expect(offered.buttons[0]).toBe(t('menu.sos'));
    await h.press(user, label);
    const key = FIRST_QUESTION[entry]!;
    expect(h.last(user).html).toContain(t(key, { ns: 'flows' }).slice(0, 25));
  });
});

describe('ordinary work questions do not pretend to be an emergency', () => {
  it('offers the wages situation, not SOS, for unpaid wages', async () => {
    const ru = h.container.translator.forLanguage('ru');
    const user = nextUser++;
    await onboard(h, user, 'ru');
    await h.send(user, 'Работодатель не платит зарплату три месяца');
    expect(h.last(user).buttons).not.toContain(ru('menu.sos'));
    expect(h.last(user).buttons[0]).toBe(ru('labour.entries.wage-contract-date', { ns: 'flows' }));
  });
});

describe('held and forced to work', () => {
  it('puts the urgent hand-off first, and one tap opens an urgent case', async () => {
    const ky = h.container.translator.forLanguage('ky');
    const user = nextUser++;
    await onboard(h, user, 'ky');
    await h.press(user, 'f:labour');
    await h.press(user, ky('labour.nodes.what.options.forced', { ns: 'flows' }));
    const screen = h.last(user);
    expect(screen.html).toContain(ky('labour.nodes.urgent-forced.text', { ns: 'flows' }).slice(0, 30));
    expect(screen.buttons[0]).toBe(ky('sos.urgent-button'));
    await h.press(user, ky('sos.urgent-button'));
    const [urgent] = await h.container.cases.listForUser(user);
    expect(urgent?.priority).toBe('urgent');
  });
});
