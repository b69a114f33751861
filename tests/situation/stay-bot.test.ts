/**
 * Stay, bans, registration and trips as a migrant meets them, through the Bot API
 * boundary: free text in each of the seven languages offers the right situation first,
 * and "I already left after overstaying" ends on the ban's length and its last day,
 * counted from the departure.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, createTestClock, type Harness, onboard } from '../helpers/harness.js';
import { doStep } from '../helpers/walk.js';

const clock = createTestClock('2026-12-06T12:00:00+03:00');
let h: Harness;
beforeAll(async () => {
  h = await createHarness({ clock });
});
afterAll(() => h.close());

const OVERSTAY = 'fn:stay-status:entry-date';
const LEFT = 'fn:stay-status:left-how';
const TRIP = 'fn:stay-status:trip-now';
const AMINA = 'fn:registration:phone-lost';
const BOUGHT = 'fn:registration:fict-called';
const MOVED = 'fn:registration:arrival-date';
const HOST = 'fn:registration:out-host-refuses';

/** What a user might type, per language, and the situation that must be offered first. */
const texts: Record<string, [string, string][]> = {
  ru: [
    ['Просрочил 90 дней, что делать?', OVERSTAY],
    ['Я уже уехал после просрочки, какой запрет?', LEFT],
    ['Поеду домой на праздники и вернусь, что с патентом?', TRIP],
    ['Потерял телефон с Аминой', AMINA],
    ['Я купил регистрацию, а она фиктивная', BOUGHT],
    ['Переехал на новый адрес', MOVED],
    ['Хозяин квартиры отказывается ставить на учёт', HOST],
  ],
  uz: [
    ['90 kun muddatim oshib ketdi', OVERSTAY],
    ['Muddat oʻtgandan keyin chiqib ketdim', LEFT],
    ['Bayramga uyga borib qaytaman', TRIP],
    ['Amina bor telefonimni yoʻqotdim', AMINA],
    ['Registratsiya sotib oldim', BOUGHT],
    ['Yangi manzilga koʻchdim', MOVED],
    ["Uy egasi ro'yxatga qo'ymayapti", HOST],
  ],
  tg: [
    ['90 рӯз гузашт, ман ҳоло дар Русия', OVERSTAY],
    ['Пас аз гузаштани мӯҳлат аз Русия баромадам', LEFT],
    ['Ба ватан меравам ва бармегардам', TRIP],
    ['Телефони бо Амина гум шуд', AMINA],
    ['Бақайдгирӣ харидам, сохта будааст', BOUGHT],
    ['Ба суроғаи нав кӯчидам', MOVED],
    ['Соҳибхона маро ба қайд намегирад', HOST],
  ],
  ky: [
    ['90 күн бүттү, эмне кылам', OVERSTAY],
    ['Мөөнөт өткөндөн кийин чыгып кеттим', LEFT],
    ['Майрамга үйгө барып кайтам', TRIP],
    ['Амина бар телефонду жоготтум', AMINA],
    ['Каттоону сатып алдым', BOUGHT],
    ['Жаңы дарекке көчтүм', MOVED],
    ['Үй ээси каттабай жатат', HOST],
  ],
  az: [
    ['90 gün bitdi, hələ Rusiyadayam', OVERSTAY],
    ['Müddəti keçirib Rusiyadan çıxdım', LEFT],
    ['Bayramda evə gedib qayıdacağam', TRIP],
    ['Amina olan telefonu itirdim', AMINA],
    ['Qeydiyyatı pulla satın aldım', BOUGHT],
    ['Yeni ünvana köçdüm', MOVED],
    ['Ev sahibi qeydiyyata qoymur', HOST],
  ],
  ro: [
    ['Mi-au expirat cele 90 de zile', OVERSTAY],
    ['Am plecat deja după ce am depășit termenul', LEFT],
    ['Plec acasă de sărbători și mă întorc', TRIP],
    ['Am pierdut telefonul cu Amina', AMINA],
    ['Am cumpărat o înregistrare', BOUGHT],
    ['M-am mutat la o adresă nouă', MOVED],
    ['Proprietarul refuză să mă înregistreze', HOST],
  ],
  en: [
    ['I overstayed my 90 days', OVERSTAY],
    ['I already left after overstaying', LEFT],
    ['Going home for the holidays and coming back', TRIP],
    ['I lost my phone with Amina', AMINA],
    ['I bought a registration and it is fake', BOUGHT],
    ['I moved to a new address', MOVED],
    ['My landlord refuses to register me', HOST],
  ],
};

describe('free text reaches the stay, ban, trip and registration situations', () => {
  it.each(Object.entries(texts).map(([lang, list], i) => ({ lang, list, user: 7100 + i })))(
    'in $lang',
    async ({ lang, list, user }) => {
      await onboard(h, user, lang);
      for (const [text, want] of list) {
        await h.send(user, text);
        const offered = h.last(user).data.filter((d) => d.startsWith('fn:'));
        expect(offered[0], `"${text}"`).toBe(want);
      }
    },
  );
});

describe('I already left after overstaying', () => {
  it('gives the ban, its last day counted from the departure, and the day to check it', async () => {
    const user = 7200;
    await onboard(h, user, 'ru');
    await h.send(user, 'Я уже уехал после просрочки, какой запрет?');
    await h.press(user, LEFT);
    // The entry skips the topic menu: the first question is how the person left.
    expect(h.last(user).html).toContain('Как вы выехали из России?');
    await doStep(h, user, 'stay-status', { choose: 'self' });
    await doStep(h, user, 'stay-status', { enter: '01.03.2026' });
    await doStep(h, user, 'stay-status', { enter: '0' });
    await doStep(h, user, 'stay-status', { enter: '01.08.2026' });
    const answer = h.last(user).html;
    // Last lawful day 01.03 + 89 = 29.05.2026; 64 days over → 3 years from 01.08.2026.
    expect(answer).toContain('запрет въезда — 3 года: по 01.08.2029 включительно');
    expect(answer).toContain('29.05.2026');
    expect(answer).toContain('02.08.2029');
    expect(answer).toContain('01.06.2029');
    expect(answer).toContain('Новый паспорт, новая фамилия или имя запрет не снимают');
    // The new-year caveat cannot apply to this trip (no earlier days, one calendar year).
    expect(answer).not.toContain('С 1 января дни года считаются заново');
  });

  it('in Tajik, after 184 days over, a 5-year ban to 01.03.2031, with the Russian terms beside', async () => {
    const user = 7201;
    await onboard(h, user, 'tg');
    await h.send(user, 'Пас аз гузаштани мӯҳлат аз Русия баромадам');
    await h.press(user, LEFT);
    await doStep(h, user, 'stay-status', { choose: 'self' });
    await doStep(h, user, 'stay-status', { enter: '01.06.2025' });
    await doStep(h, user, 'stay-status', { enter: '0' });
    await doStep(h, user, 'stay-status', { enter: '01.03.2026' });
    const answer = h.last(user).html;
    expect(answer).toContain('манъи воридшавӣ — 5 сол: то 01.03.2031');
    expect(answer).toContain('«ФСБ»');
    expect(answer).toContain('02.03.2031');
  });
});

describe('regional holidays under a deadline', () => {
  it('in Tatarstan, My situation names the regional day off and keeps the earlier, federal date', async () => {
    clock.set('2026-03-10T12:00:00+03:00');
    const user = 7300;
    await onboard(h, user, 'ru');
    await h.container.factService.set(user, 'citizenship', 'uz');
    await h.container.factService.set(user, 'region', 'tatarstan');
    await h.container.factService.set(user, 'entry-date', '2026-03-08');
    await h.press(user, 'st');
    const screen = h.last(user).html;
    // Registration: 08.03 + 15 = 23.03.2026; Uraza-bayram (Fri 20.03) lies in between.
    expect(screen).toContain('не позднее 23.03.2026');
    expect(screen).toContain('региональные выходные: 20.03.2026');
    clock.set('2026-12-06T12:00:00+03:00');
  });
});

describe('the new-calendar-year caveat appears only where it can apply', () => {
  const walk = async (user: number, entry: string, prior: string) => {
    await onboard(h, user, 'ru');
    await h.press(user, 'f:stay-status');
    for (const st of [{ choose: 'stay-days' }, { choose: 'visa-free' }, { choose: 'none' }, { enter: entry }, { enter: prior }]) {
      await doStep(h, user, 'stay-status', st);
    }
    return h.last(user).html;
  };

  it('shows it to someone who used up 2026 and is still in Russia in January 2027', async () => {
    clock.set('2027-01-15T12:00:00+03:00');
    // 60 days earlier in 2026, entry 01.11.2026: last lawful day 01.11 + 29 = 30.11.2026.
    const html = await walk(7400, '01.11.2026', '60');
    expect(html).toContain('разрешённые 90 дней закончились 30.11.2026');
    expect(html).toContain('С 1 января дни года считаются заново');
    // Leave by 30.11.2026 + 180 = 29.05.2027 to keep the ban at 3 years.
    expect(html).toContain('29.05.2027');
    clock.set('2026-12-06T12:00:00+03:00');
  });

  it('does not show it within one calendar year', async () => {
    const html = await walk(7401, '01.05.2026', '0');
    expect(html).toContain('разрешённые 90 дней закончились 29.07.2026');
    expect(html).not.toContain('С 1 января дни года считаются заново');
    expect(html).not.toContain('Вы въехали в прошлом году');
  });
});
