/**
 * Typed messages about detention, police, court, expulsion or a taken passport reach
 * SOS in every language; ordinary questions do not.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { foldText, loadSosKeywords, type SosKeywords } from '../../src/sos/sos-keywords.js';

let keywords: SosKeywords;
beforeAll(async () => {
  keywords = await loadSosKeywords('config/sos-keywords.yaml');
});

const SOS: Record<string, string[]> = {
  ru: [
    'Меня задержала полиция',
    'забрали паспорт',
    'Работодатель держит мой паспорт и не отдаёт',
    'Мужа увезли в отдел полиции, что делать?',
    'Завтра суд по выдворению',
    'Полиция остановила меня у метро и проверяет документы',
    'Брат пропал, не выходит на связь второй день',
    'Составили протокол, просят подписать',
    'menya zaderzhali na rynke',
  ],
  uz: [
    'politsiya meni ushladi',
    'Pasportimni ish beruvchi olib qoʻydi',
    'Ertaga sudga chaqirishdi',
    'Meni deportatsiya qilishmoqchi',
    'Акамни ҳибсга олишди',
    'Полиция мени тўхтатди',
  ],
  tg: [
    'маро полис дастгир кард',
    'Шиносномаамро гирифтанд ва намедиҳанд',
    'Пагоҳ суд аст, метарсам, ки ихроҷ мекунанд',
    'Бародарамро полис бурд',
    'Ман дар боздошт ҳастам',
  ],
  ky: [
    'Мени полиция кармады',
    'Паспортумду кожоюн алып коюптур',
    'Эртең сотко чакырышты',
    'Депортация кылабыз дешти',
    'Иним кармалды, кайда экенин билбейбиз',
  ],
  az: [
    'Polis məni saxladı',
    'polis meni saxladi metroda',
    'Pasportumu əlimdən aldılar',
    'Sabah məhkəmə var, nə edim?',
    'Məni deportasiya edəcəklər',
  ],
  ro: [
    'Poliția m-a reținut',
    'Mi-au luat pașaportul la muncă',
    'Mâine am judecată pentru expulzare',
    'Politia m-a oprit si mi-a cerut actele',
    'Sotul meu a fost arestat',
  ],
  en: [
    'The police detained my husband',
    'My employer took my passport and refuses to give it back',
    'I have a court hearing tomorrow',
    'They want to deport me',
    'Police stopped me near the market',
  ],
};

const NOT_SOS: Record<string, string[]> = {
  ru: [
    'Как продлить патент на следующий месяц?',
    'Сколько стоит полис ДМС для патента?',
    'Я забрал патент в МФЦ, что дальше?',
    'Потерял паспорт, как восстановить?',
    'Какая судьба у моей заявки на РВП?',
    'В кармане лежал чек об оплате патента',
    'Сотрудник МФЦ не принял документы на регистрацию',
  ],
  uz: ['Patent uchun qancha toʻlash kerak?', 'Yangi pasport oldim, roʻyxatdan qanday oʻtaman?'],
  tg: ['Полиси ДМС-ро аз куҷо гирам?', 'Патентро чӣ тавр дароз кунам?'],
  ky: ['Патент үчүн канча төлөш керек?', 'Каттоону кантип узартам?'],
  az: ['Patent üçün sənədləri haradan alım?', 'Pulumu necə saxlayım?'],
  ro: ['Cât costă patenta pentru o lună?', 'Locuiesc în sudul Moldovei și vreau să lucrez în Rusia'],
  en: ['How do I renew my patent?', 'Where do I get health insurance for the patent?', 'My son was expelled from school'],
};

describe('free text that reaches SOS', () => {
  for (const [lng, sentences] of Object.entries(SOS)) {
    it(`recognises ${lng} messages about detention, police, court, expulsion or a taken passport`, () => {
      for (const s of sentences) expect(keywords.match(s), s).toBeDefined();
    });
  }
});

describe('ordinary questions that must not', () => {
  for (const [lng, sentences] of Object.entries(NOT_SOS)) {
    it(`leaves ${lng} questions about patents, insurance and registration alone`, () => {
      for (const s of sentences) expect(keywords.match(s), s).toBeUndefined();
    });
  }
});

describe('foldText', () => {
  it('reads Uzbek apostrophes, Azerbaijani and Romanian letters and ё the same as their plain forms', () => {
    expect(foldText('Qoʻlga OLDI')).toBe(foldText("qo'lga oldi"));
    expect(foldText('həbs')).toBe('hebs');
    expect(foldText('reținut')).toBe(foldText('retinut'));
    expect(foldText('ЗАДЕРЖАН  ещё')).toBe('задержан еще');
  });
});
