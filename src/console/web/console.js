/**
 * Pravo lawyers' console: a plain ES module, no framework, no build step.
 * Talks only to the same-origin admin API with the token the lawyer pasted.
 * Every piece of user-supplied text is put into the page with textContent
 * (through `h()` / `text()` below), never as HTML.
 */

const API = '/api';
const TOKEN_KEY = 'pravo.console.token';
const LANG_KEY = 'pravo.console.lang';
const FILTERS_KEY = 'pravo.console.filters';
const POLL_MS = 5000;
const PAGE_SIZE = 20;
const MAX_PAGE = 100;
const MAX_TEXT = 3500;
const LANGUAGES = ['ru', 'uz', 'tg', 'ky', 'az', 'ro', 'en'];
const STATUSES = ['open', 'claimed', 'closed', 'withdrawn'];
const ACTIVE = 'open,claimed';
const KNOWN_TOPICS = ['detention', 'patent', 'registration', 'status', 'general'];
const WORK_ROLES = ['lawyer', 'admin'];
const ALERT_POLL_MS = 2000;
/** The server keeps room for the "corrected" mark in a 4096-character message. */
const ALERT_MAX_TEXT = 3900;
const ALERT_STEPS = ['draft', 'approved', 'sending', 'done'];
const ALERT_AUTHORS = ['staff', 'admin'];
const ALERT_REVIEWERS = ['lawyer', 'admin'];
const CITIZENSHIPS = ['uz', 'tj', 'kg', 'kz', 'az', 'md', 'am', 'by', 'other'];
const ALERT_TOPICS = ['patent', 'registration', 'status', 'general'];
const RECIPIENT_STATUSES = ['pending', 'sent', 'blocked', 'failed', 'cancelled'];
const RECIPIENTS_MAX = 1000;
/** Mermaid is served from our own server: no outside hosts. */
const MERMAID_SRC = '/console/vendor/mermaid.min.js';
/** Telegram HTML tags the alert preview shows (their aliases map to the same look). */
const TG_TAGS = {
  b: 'b', strong: 'b', i: 'i', em: 'i', u: 'u', ins: 'u', s: 's', strike: 's', del: 's',
  code: 'code', pre: 'pre', blockquote: 'blockquote', a: 'a', 'tg-spoiler': 'spoiler', span: 'span', 'tg-emoji': 'span',
};
/** What Telegram's HTML mode accepts (the server checks the same on save). */
const TG_ALLOWED = new Set(['b', 'strong', 'i', 'em', 'u', 'ins', 's', 'strike', 'del', 'span', 'tg-spoiler', 'a', 'code', 'pre', 'blockquote', 'tg-emoji']);

// ---------------------------------------------------------------------------
// Dictionary (every visible label, in Russian and English)
// ---------------------------------------------------------------------------

const I18N = {
  ru: {
    appTitle: 'Право — консоль юриста',
    skipToContent: 'Перейти к содержимому',
    navLabel: 'Разделы',
    navQueue: 'Очередь',
    navTemplates: 'Шаблоны',
    navStats: 'Статистика',
    logout: 'Выйти',
    dismiss: 'Закрыть',
    langSwitch: 'English',
    langSwitchLabel: 'Switch the interface to English',
    loginTitle: 'Вход для юристов',
    loginHint: 'Вставьте ваш токен доступа. Он хранится только в этой вкладке и удаляется при выходе.',
    tokenLabel: 'Токен',
    loginSubmit: 'Войти',
    loginChecking: 'Проверяем…',
    loginEmpty: 'Вставьте токен доступа.',
    loggedOut: 'Вы вышли из консоли.',
    sessionEnded: 'Сессия завершена ({msg}). Войдите снова.',
    whoami: '{name} · {role}',
    'role.lawyer': 'юрист',
    'role.staff': 'сотрудник',
    'role.admin': 'администратор',
    staffOnlyStats: 'Очередь и шаблоны доступны юристам и администраторам. Для вашей роли доступна статистика.',

    queueTitle: 'Очередь обращений',
    refresh: 'Обновить',
    filtersTitle: 'Фильтры',
    fStatus: 'Статус',
    fPriority: 'Срочность',
    fLanguage: 'Язык',
    fTopic: 'Тема',
    fAssignee: 'Исполнитель',
    resetFilters: 'Сбросить',
    any: 'Все',
    statusActive: 'Открытые и в работе',
    statusAll: 'Все статусы',
    'status.open': 'Открыто',
    'status.claimed': 'В работе',
    'status.closed': 'Закрыто',
    'status.withdrawn': 'Отозвано',
    'priority.urgent': 'Срочно',
    'priority.normal': 'Обычное',
    assigneeMine: 'Мои',
    assigneeNone: 'Не назначенные',
    queueEmpty: 'Нет обращений по этим фильтрам.',
    loadMore: 'Показать ещё',
    queueCount: 'Показано: {n}',
    queueCountMore: 'Показано: {n}, есть ещё',
    queueNew: 'новых: {n}',
    loading: 'Загрузка…',
    newBadge: 'новое',
    newCasesLive: 'Новых обращений в очереди: {n}',
    unreadLabel: 'есть непрочитанные сообщения',
    urgentLabel: 'Срочно',
    deadlineFuture: 'срок {when}',
    deadlinePast: 'срок прошёл {when}',
    deadlineTitle: 'Ближайший срок: {date}',
    assignedMe: 'у вас',
    assignedOther: 'у юриста #{id}',
    unassigned: 'не назначено',
    pickCase: 'Выберите обращение в очереди.',
    backToQueue: '← К очереди',

    caseTitle: 'Обращение #{id}',
    claim: 'Взять в работу',
    release: 'Вернуть в очередь',
    close: 'Закрыть обращение',
    reopen: 'Открыть снова',
    metaStatus: 'Статус',
    metaPriority: 'Срочность',
    metaTopic: 'Тема',
    metaLanguage: 'Язык',
    metaCitizenship: 'Гражданство',
    metaDeadline: 'Ближайший срок',
    metaAssignee: 'Исполнитель',
    metaCreated: 'Создано',
    metaFirstResponse: 'Первый ответ',
    metaClosed: 'Закрыто',
    metaRating: 'Оценка пользователя',
    none: '—',
    hintClaimedOther: 'Обращение взял другой юрист (#{id}). Отвечать и закрывать его может он или администратор.',
    hintClosed: 'Обращение закрыто. Чтобы ответить, откройте его снова.',
    hintWithdrawn: 'Пользователь отозвал обращение.',
    hintAnonymised: 'Обращение обезличено: личные данные удалены, связаться с пользователем нельзя.',
    hintOpen: 'Ответ пользователю автоматически закрепит обращение за вами.',

    summaryTitle: 'Сводка на русском',
    contextTitle: 'Ответы в разделах бота',
    contextEmpty: 'Пользователь не проходил разделы бота.',
    contextFrom: 'Вопрос задан из раздела «{flow}», шаг «{node}».',
    flowAt: 'пройдено {time}',
    outcome: 'Итог',
    answersCaption: 'Ответы',
    datesCaption: 'Даты',
    colQuestion: 'Вопрос',
    colAnswer: 'Ответ',
    colDateId: 'Дата',
    colDate: 'Значение',
    provisional: 'предварительно',
    noAnswers: 'Ответов нет.',

    threadTitle: 'Переписка',
    threadEmpty: 'Сообщений нет.',
    authorUser: 'Пользователь',
    authorMe: 'Вы',
    authorLawyer: 'Юрист #{id}',
    files: '📎 Вложений: {n} (файлы в консоли не показываются)',
    'delivery.sent': '✓ доставлено',
    'delivery.pending': '⏳ ждёт отправки',
    'delivery.failed': '⚠ не доставлено',
    'delivery.blocked': '⚠ не доставлено: пользователь заблокировал бота',
    'delivery.unknown': 'состояние доставки: {status}',
    attempts: 'попыток: {n}',
    lastError: 'ошибка: {e}',
    retry: 'Отправить снова',
    retryDone: 'Снова поставлено в очередь: {n}.',
    retryNone: 'Нечего отправлять снова: повтор возможен только для неудавшихся отправок (не если пользователь заблокировал бота).',
    newMessagesLive: 'Новое сообщение пользователя в обращении #{id}',

    replyTitle: 'Ответ пользователю',
    templatePicker: 'Готовый ответ',
    templateChoose: '— выберите шаблон ({lang}) —',
    templatesNone: 'нет шаблонов на языке: {lang}',
    replyLabel: 'Текст ответа (уйдёт пользователю в Telegram)',
    replySend: 'Отправить ответ',
    replyCount: '{n} / {max}',
    ctrlEnter: 'Ctrl+Enter — отправить',
    replySent: 'Ответ сохранён и поставлен в очередь на отправку.',
    replyEmpty: 'Напишите текст ответа.',
    replyDisabledClosed: 'Обращение закрыто — откройте его снова, чтобы ответить.',
    replyDisabledOther: 'Обращение у другого юриста.',
    replyDisabledAnon: 'Обращение обезличено.',
    replyDisabledWithdrawn: 'Обращение отозвано пользователем.',
    textTooLong: 'Текст длиннее {max} символов.',

    notesTitle: 'Внутренние заметки',
    notesWarning: 'Видны только юристам. Пользователю не отправляются.',
    noteLabel: 'Новая заметка (не отправляется пользователю)',
    noteSend: 'Добавить заметку',
    noteAdded: 'Заметка добавлена.',
    noteEmpty: 'Напишите текст заметки.',
    notesEmpty: 'Заметок нет.',
    noteBadge: 'заметка',

    didClaim: 'Обращение #{id} взято в работу.',
    didRelease: 'Обращение #{id} возвращено в очередь.',
    didClose: 'Обращение #{id} закрыто; пользователю предложено оценить ответ.',
    didReopen: 'Обращение #{id} снова открыто.',

    templatesTitle: 'Готовые ответы',
    templatesHint: 'Шаблоны ответов на каждом языке пользователей. В обращении предлагаются шаблоны на языке пользователя.',
    tplFilter: 'Язык',
    tplAllLanguages: 'Все языки',
    tplAdd: 'Новый шаблон',
    tplEdit: 'Изменить шаблон #{id}',
    tplLanguage: 'Язык шаблона',
    tplTitle: 'Название',
    tplText: 'Текст',
    save: 'Сохранить',
    cancel: 'Отмена',
    edit: 'Изменить',
    delete: 'Удалить',
    confirmDelete: 'Удалить шаблон «{title}»?',
    yesDelete: 'Да, удалить',
    no: 'Нет',
    tplCreated: 'Шаблон добавлен.',
    tplSaved: 'Шаблон сохранён.',
    tplDeleted: 'Шаблон удалён.',
    tplFieldsRequired: 'Заполните язык, название и текст.',
    templatesEmpty: 'Шаблонов пока нет.',
    tplUpdated: 'изменён {time}',

    statsTitle: 'Статистика',
    statsHint: 'Без персональных данных: только количество и время.',
    byStatus: 'По статусу',
    byTopic: 'По теме',
    byLanguage: 'По языку',
    medianFirstResponse: 'Медиана до первого ответа',
    medianResolution: 'Медиана до закрытия',
    averageRating: 'Средняя оценка',
    totalCases: 'Всего обращений',
    noData: 'нет данных',
    durDays: '{d} дн. {h} ч',
    durHours: '{h} ч {m} мин',
    durMinutes: '{m} мин',
    durSeconds: '{s} с',

    errNetwork: 'Сервер недоступен: {msg}',
    errHttp: 'Ошибка {status}: {msg}',
    err409: 'Конфликт (409): {msg}',
    err429: 'Слишком много запросов (429): {msg}',
    justNow: 'только что',

    navAlerts: 'Оповещения',
    navFlows: 'Сценарии',
    staffNoQueue: 'Очередь и шаблоны доступны юристам и администраторам.',

    alertsTitle: 'Оповещения',
    alertsHintAuthor: 'Срочные новости о законах для пользователей бота. Напишите черновик, его одобрит второй человек (юрист или администратор), затем отправьте.',
    alertsHintReviewer: 'Срочные новости о законах для пользователей бота. Сотрудники пишут черновики; юрист или администратор, который не автор, проверяет и одобряет.',
    alertNew: 'Новое оповещение',
    alertsEmpty: 'Оповещений пока нет.',
    alertPanelLabel: 'Оповещение',
    pickAlert: 'Выберите оповещение в списке.',
    pickAlertAuthor: 'Выберите оповещение в списке или создайте новое.',
    backToAlerts: '← К оповещениям',
    alertTitle: 'Оповещение #{id}',
    alertNoText: '(без текста)',
    awaitingYou: 'ждёт вашего одобрения',
    alertScheduledFor: 'начало {when}',
    'astatus.draft': 'Черновик',
    'astatus.approved': 'Одобрено',
    'astatus.scheduled': 'Запланировано',
    'astatus.sending': 'Отправляется',
    'astatus.done': 'Отправлено',
    'astatus.cancelled': 'Отменено',
    stepsLabel: 'Этапы: черновик, одобрение, отправка, готово',
    'step.draft': 'Черновик',
    'step.approved': 'Одобрено',
    'step.sending': 'Отправка',
    'step.done': 'Готово',
    metaAuthor: 'Автор',
    metaApprovedBy: 'Одобрил(а)',
    metaStartAt: 'Начало рассылки',
    metaStartNow: 'сразу после отправки',
    metaStarted: 'Отправка началась',
    metaFinished: 'Закончена',
    metaCancelled: 'Отменено',
    metaCorrected: 'Исправлено',
    staffMe: 'вы',
    staffOther: 'сотрудник #{id}',

    hintDraftAuthor: 'Нужен второй человек: это оповещение должен проверить и одобрить юрист или администратор — не вы. Сами одобрить своё оповещение вы не можете.',
    hintDraftReviewer: 'Нужен второй человек — это вы: проверьте текст на всех языках и получателей. После одобрения сотрудник сможет отправить оповещение.',
    hintDraftOther: 'Ждёт одобрения: оповещение проверяет юрист или администратор, который его не писал.',
    hintApprovedAuthor: 'Одобрено — можно отправлять. Изменение текста вернёт его в черновик, и понадобится новое одобрение.',
    hintApprovedOther: 'Одобрено. Отправляет сотрудник или администратор.',
    hintScheduled: 'Запланировано на {when}. До начала рассылку можно отменить.',
    hintSending: 'Идёт отправка. «Отменить» остановит оставшиеся отправки; уже доставленное можно исправить.',
    hintDone: 'Рассылка закончена. Если в тексте ошибка, исправьте его: доставленные сообщения будут отредактированы с пометкой «исправлено».',
    hintCancelled: 'Оповещение отменено.',
    hintCancelledSent: 'Оповещение отменено; часть сообщений успела уйти — их можно исправить.',
    hintCorrecting: 'Исправления отправляются: {n} ещё в очереди.',

    alertEdit: 'Изменить',
    alertApprove: 'Одобрить',
    alertSendNow: 'Отправить сейчас',
    alertSendCount: 'Отправить сейчас ({n} получ.)',
    alertSchedule: 'Запланировать на {when}',
    alertCancel: 'Отменить рассылку',
    alertCorrect: 'Исправить текст',
    alertPreviewSend: 'Прислать себе в чат',
    alertPreviewHint: 'Все языковые версии придут в ваш собственный Telegram-чат — проверьте, как выглядит разметка.',
    alertDid_approve: 'Оповещение #{id} одобрено.',
    alertDid_send: 'Оповещение #{id}: рассылка началась.',
    alertDid_scheduled: 'Оповещение #{id} запланировано.',
    alertDid_cancel: 'Оповещение #{id} отменено.',
    alertCreated: 'Черновик #{id} сохранён. Получателей сейчас: {n}. Теперь его должен одобрить второй человек.',
    alertSaved: 'Оповещение #{id} сохранено как черновик.',
    alertCorrected: 'Исправление принято: доставленные сообщения будут отредактированы ({n}).',
    alertPreviewSent: 'Отправлено в ваш чат {chat}: сообщений — {n}.',

    progressTitle: 'Ход рассылки',
    progressLabel: 'Доставлено {done} из {total}',
    progressSent: 'Доставлено',
    progressPending: 'В очереди',
    progressBlocked: 'Заблокировали бота',
    progressFailed: 'Ошибка',
    progressCancelled: 'Отменено',
    progressTotal: 'Всего',
    progressRate: 'Скорость: {n} в секунду',
    progressEta: 'Осталось примерно: {d}',
    progressEtaUnknown: 'Оставшееся время: считаем…',
    progressFallback: 'На русском вместо своего языка: {n}',
    progressDuplicates: 'Возможные повторы: {n}',
    progressDuplicatesHint: 'Отправитель перезапускался во время отправки: эти пользователи могли получить сообщение дважды.',
    progressCorrected: 'Исправлено: {n}',
    progressCorrectionPending: 'исправлений в очереди: {n}',
    progressWaiting: 'Рассылка ещё не началась.',

    alertTextsTitle: 'Текст оповещения',
    alertCorrectionTitle: 'Исправленный текст',
    alertTextFallbackNote: 'Пользователи, для языка которых нет текста, получат русский.',
    audienceTitle: 'Кому',
    audienceEveryone: 'Всем, кто согласился с условиями и не отключил оповещения',
    audienceLanguages: 'Языки',
    audienceCitizenships: 'Гражданство',
    audienceTopics: 'Темы',
    audienceSummaryEveryone: 'Все пользователи бота (кто согласился с условиями и не отключил оповещения).',
    audienceAnd: 'Подходят пользователи, у которых совпадает каждое отмеченное условие (внутри одной группы — любой из вариантов).',
    audienceNow: 'Сейчас получат',

    editorNew: 'Новое оповещение',
    editorEdit: 'Изменить оповещение #{id}',
    editorCorrect: 'Исправить оповещение #{id}',
    editorEditApproved: 'Оповещение уже одобрено: после сохранения оно вернётся в черновик и его нужно будет одобрить снова.',
    editorCorrectHint: 'Каждое уже доставленное сообщение будет отредактировано в чате пользователя и получит пометку «исправлено». Ещё не отправленные уйдут сразу с новым текстом.',
    editorTexts: 'Текст на каждом языке',
    editorTextsHint: 'Русский обязателен: пользователи, для языка которых нет текста, получат русский. Разметка Telegram: {tags}.',
    editorLangNav: 'Языки текста',
    required: 'обязательно',
    optional: 'необязательно',
    filled: 'заполнено',
    empty: 'пусто',
    textLabel: '{lang}',
    previewLabel: 'Так увидит пользователь ({lang})',
    previewEmpty: 'Предпросмотр появится здесь.',
    previewRu: 'Пусто — пользователи с этим языком получат русский текст.',
    htmlProblem: 'Telegram не примет этот текст: {p}',
    charCount: '{n} / {max}',
    audienceHint: 'Отметьте «всем» или выберите группы.',
    audienceSize: 'Получат: {n}',
    audienceFallback: 'из них на русском (нет текста на их языке): {n}',
    audienceCounting: 'Считаем получателей…',
    audienceNone: 'Выберите, кому отправить.',
    startLabel: 'Начало рассылки (необязательно)',
    startHint: 'Время вашего компьютера ({tz}). Пусто — рассылка начнётся сразу после нажатия «Отправить».',
    startClear: 'Очистить',
    saveDraft: 'Сохранить черновик',
    correctSave: 'Исправить у всех получателей',
    errRuRequired: 'Напишите текст на русском: он обязателен.',
    errAudience: 'Выберите, кому отправить оповещение.',
    errHtml: '{lang}: {p}',
    errTooLong: '{lang}: текст длиннее {max} символов.',
    errStart: 'Неверное время начала.',

    recipientsTitle: 'Получатели',
    recipientsFilter: 'Состояние доставки',
    recipientsAll: 'Все',
    recipientsCount: 'Показано: {n}',
    recipientsCountMax: 'Показаны первые {n}',
    recipientsEmpty: 'Нет получателей с таким состоянием.',
    colUser: 'Пользователь',
    colLanguage: 'Язык',
    colDelivery: 'Доставка',
    colSentAt: 'Отправлено',
    colError: 'Ошибка',
    fallbackMark: 'вместо своего языка',
    'rstatus.pending': 'в очереди',
    'rstatus.sent': 'доставлено',
    'rstatus.blocked': 'заблокировал бота',
    'rstatus.failed': 'ошибка',
    'rstatus.cancelled': 'отменено',

    flowsTitle: 'Сценарии бота',
    flowsHint: 'Схемы разделов бота: вопросы, ветвления и итоговые ответы со ссылками на законы. Текст на схеме — русский исходник.',
    flowsReload: 'Перечитать файлы сценариев',
    flowsReloaded: 'Сценарии перечитаны:',
    flowsReloadFailed: 'Файлы сценариев не прочитаны — бот продолжает работать на прежних. Ошибка:',
    flowsReloadUnavailable: 'Перечитывание доступно только в локальном режиме.',
    flowsLoading: 'Загружаем схемы…',
    flowsLoadingLib: 'Рисуем схемы…',
    flowsEmpty: 'Сценариев нет.',
    flowsLibFailed: 'Не удалось загрузить библиотеку схем: {msg}',
    flowVersion: 'Версия',
    flowNodes: 'Шагов',
    flowId: 'Код',
    flowReviewed: 'Проверено юристом',
    flowNotReviewed: 'нет отметок',
    flowTry: 'Попробовать в чате',
    newTab: '(откроется в новой вкладке)',
    flowDiagramLabel: 'Схема сценария «{title}»',
    flowRenderFailed: 'Схему не удалось нарисовать: {msg}',
    flowSource: 'Текст схемы (Mermaid)',
    flowActualSize: 'В натуральную величину',
    flowFitWidth: 'По ширине',

    'lang.ru': 'русский',
    'lang.uz': 'узбекский',
    'lang.tg': 'таджикский',
    'lang.ky': 'киргизский',
    'lang.az': 'азербайджанский',
    'lang.ro': 'румынский',
    'lang.en': 'английский',
    'topic.general': 'Общий вопрос',
    'topic.patent': 'Патент',
    'topic.registration': 'Миграционный учёт',
    'topic.status': 'Срок пребывания',
    'topic.detention': 'Задержание',
    'flow.work-patent': 'Патент на работу',
    'flow.registration': 'Регистрация (миграционный учёт)',
    'flow.stay-status': 'Срок пребывания и РКЛ',
    'cit.uz': 'Узбекистан',
    'cit.tj': 'Таджикистан',
    'cit.kg': 'Киргизия',
    'cit.kz': 'Казахстан',
    'cit.am': 'Армения',
    'cit.by': 'Беларусь',
    'cit.az': 'Азербайджан',
    'cit.md': 'Молдова',
    'cit.eaeu': 'страна ЕАЭС',
    'cit.other-visa-free': 'другая безвизовая страна',
    'cit.visa': 'визовая страна',
    'cit.other': 'другая страна',
  },
  en: {
    appTitle: 'Pravo — lawyers’ console',
    skipToContent: 'Skip to content',
    navLabel: 'Sections',
    navQueue: 'Queue',
    navTemplates: 'Templates',
    navStats: 'Statistics',
    logout: 'Log out',
    dismiss: 'Dismiss',
    langSwitch: 'Русский',
    langSwitchLabel: 'Переключить интерфейс на русский',
    loginTitle: 'Lawyers’ sign-in',
    loginHint: 'Paste your access token. It is kept in this tab only and removed when you log out.',
    tokenLabel: 'Token',
    loginSubmit: 'Log in',
    loginChecking: 'Checking…',
    loginEmpty: 'Paste your access token.',
    loggedOut: 'You have logged out.',
    sessionEnded: 'Your session has ended ({msg}). Please log in again.',
    whoami: '{name} · {role}',
    'role.lawyer': 'lawyer',
    'role.staff': 'staff',
    'role.admin': 'admin',
    staffOnlyStats: 'The queue and templates are for lawyers and admins. Your role can see the statistics.',

    queueTitle: 'Case queue',
    refresh: 'Refresh',
    filtersTitle: 'Filters',
    fStatus: 'Status',
    fPriority: 'Priority',
    fLanguage: 'Language',
    fTopic: 'Topic',
    fAssignee: 'Assignee',
    resetFilters: 'Reset',
    any: 'All',
    statusActive: 'Open and claimed',
    statusAll: 'All statuses',
    'status.open': 'Open',
    'status.claimed': 'Claimed',
    'status.closed': 'Closed',
    'status.withdrawn': 'Withdrawn',
    'priority.urgent': 'Urgent',
    'priority.normal': 'Normal',
    assigneeMine: 'Mine',
    assigneeNone: 'Unassigned',
    queueEmpty: 'No cases match these filters.',
    loadMore: 'Load more',
    queueCount: 'Showing {n}',
    queueCountMore: 'Showing {n}, more available',
    queueNew: '{n} new',
    loading: 'Loading…',
    newBadge: 'new',
    newCasesLive: 'New cases in the queue: {n}',
    unreadLabel: 'has unread messages',
    urgentLabel: 'Urgent',
    deadlineFuture: 'due {when}',
    deadlinePast: 'deadline passed {when}',
    deadlineTitle: 'Nearest deadline: {date}',
    assignedMe: 'yours',
    assignedOther: 'lawyer #{id}',
    unassigned: 'unassigned',
    pickCase: 'Choose a case in the queue.',
    backToQueue: '← Back to the queue',

    caseTitle: 'Case #{id}',
    claim: 'Claim',
    release: 'Release',
    close: 'Close case',
    reopen: 'Reopen',
    metaStatus: 'Status',
    metaPriority: 'Priority',
    metaTopic: 'Topic',
    metaLanguage: 'Language',
    metaCitizenship: 'Citizenship',
    metaDeadline: 'Nearest deadline',
    metaAssignee: 'Assignee',
    metaCreated: 'Created',
    metaFirstResponse: 'First answer',
    metaClosed: 'Closed',
    metaRating: 'User’s rating',
    none: '—',
    hintClaimedOther: 'Another lawyer (#{id}) holds this case. Only they or an admin can answer or close it.',
    hintClosed: 'This case is closed. Reopen it to answer.',
    hintWithdrawn: 'The user withdrew this case.',
    hintAnonymised: 'This case is anonymised: personal data was erased and the user cannot be reached.',
    hintOpen: 'Answering the user assigns the case to you.',

    summaryTitle: 'Summary (Russian)',
    contextTitle: 'Answers in the bot’s sections',
    contextEmpty: 'The user did not go through any of the bot’s sections.',
    contextFrom: 'Asked from the section “{flow}”, step “{node}”.',
    flowAt: 'completed {time}',
    outcome: 'Outcome',
    answersCaption: 'Answers',
    datesCaption: 'Dates',
    colQuestion: 'Question',
    colAnswer: 'Answer',
    colDateId: 'Date',
    colDate: 'Value',
    provisional: 'provisional',
    noAnswers: 'No answers.',

    threadTitle: 'Conversation',
    threadEmpty: 'No messages.',
    authorUser: 'User',
    authorMe: 'You',
    authorLawyer: 'Lawyer #{id}',
    files: '📎 Attachments: {n} (files are not shown in the console)',
    'delivery.sent': '✓ delivered',
    'delivery.pending': '⏳ waiting to be sent',
    'delivery.failed': '⚠ not delivered',
    'delivery.blocked': '⚠ not delivered: the user blocked the bot',
    'delivery.unknown': 'delivery state: {status}',
    attempts: 'attempts: {n}',
    lastError: 'error: {e}',
    retry: 'Send again',
    retryDone: 'Queued again: {n}.',
    retryNone: 'Nothing to send again: only failed deliveries can be retried (not when the user blocked the bot).',
    newMessagesLive: 'New message from the user in case #{id}',

    replyTitle: 'Answer to the user',
    templatePicker: 'Canned answer',
    templateChoose: '— choose a template ({lang}) —',
    templatesNone: 'no templates in: {lang}',
    replyLabel: 'Answer text (goes to the user on Telegram)',
    replySend: 'Send answer',
    replyCount: '{n} / {max}',
    ctrlEnter: 'Ctrl+Enter sends',
    replySent: 'Answer saved and queued for delivery.',
    replyEmpty: 'Write the answer first.',
    replyDisabledClosed: 'The case is closed — reopen it to answer.',
    replyDisabledOther: 'Another lawyer holds this case.',
    replyDisabledAnon: 'The case is anonymised.',
    replyDisabledWithdrawn: 'The user withdrew this case.',
    textTooLong: 'The text is longer than {max} characters.',

    notesTitle: 'Internal notes',
    notesWarning: 'Seen by lawyers only. Never sent to the user.',
    noteLabel: 'New note (not sent to the user)',
    noteSend: 'Add note',
    noteAdded: 'Note added.',
    noteEmpty: 'Write the note first.',
    notesEmpty: 'No notes.',
    noteBadge: 'note',

    didClaim: 'Case #{id} is now yours.',
    didRelease: 'Case #{id} is back in the queue.',
    didClose: 'Case #{id} closed; the user was asked to rate the answer.',
    didReopen: 'Case #{id} reopened.',

    templatesTitle: 'Canned answers',
    templatesHint: 'Answer templates in each of the users’ languages. A case offers the templates in its user’s language.',
    tplFilter: 'Language',
    tplAllLanguages: 'All languages',
    tplAdd: 'New template',
    tplEdit: 'Edit template #{id}',
    tplLanguage: 'Template language',
    tplTitle: 'Title',
    tplText: 'Text',
    save: 'Save',
    cancel: 'Cancel',
    edit: 'Edit',
    delete: 'Delete',
    confirmDelete: 'Delete the template “{title}”?',
    yesDelete: 'Yes, delete',
    no: 'No',
    tplCreated: 'Template added.',
    tplSaved: 'Template saved.',
    tplDeleted: 'Template deleted.',
    tplFieldsRequired: 'Fill in the language, title and text.',
    templatesEmpty: 'No templates yet.',
    tplUpdated: 'changed {time}',

    statsTitle: 'Statistics',
    statsHint: 'No personal data: counts and times only.',
    byStatus: 'By status',
    byTopic: 'By topic',
    byLanguage: 'By language',
    medianFirstResponse: 'Median time to first answer',
    medianResolution: 'Median time to close',
    averageRating: 'Average rating',
    totalCases: 'Cases in total',
    noData: 'no data',
    durDays: '{d} d {h} h',
    durHours: '{h} h {m} min',
    durMinutes: '{m} min',
    durSeconds: '{s} s',

    errNetwork: 'The server cannot be reached: {msg}',
    errHttp: 'Error {status}: {msg}',
    err409: 'Conflict (409): {msg}',
    err429: 'Too many requests (429): {msg}',
    justNow: 'just now',

    navAlerts: 'Alerts',
    navFlows: 'Flows',
    staffNoQueue: 'The queue and templates are for lawyers and admins.',

    alertsTitle: 'Alerts',
    alertsHintAuthor: 'Urgent legal news for the bot’s users. Write a draft, a second person (a lawyer or an admin) approves it, then send it.',
    alertsHintReviewer: 'Urgent legal news for the bot’s users. Staff write drafts; a lawyer or admin who is not the author reviews and approves them.',
    alertNew: 'New alert',
    alertsEmpty: 'No alerts yet.',
    alertPanelLabel: 'Alert',
    pickAlert: 'Choose an alert in the list.',
    pickAlertAuthor: 'Choose an alert in the list or create a new one.',
    backToAlerts: '← Back to alerts',
    alertTitle: 'Alert #{id}',
    alertNoText: '(no text)',
    awaitingYou: 'awaits your approval',
    alertScheduledFor: 'starts {when}',
    'astatus.draft': 'Draft',
    'astatus.approved': 'Approved',
    'astatus.scheduled': 'Scheduled',
    'astatus.sending': 'Sending',
    'astatus.done': 'Sent',
    'astatus.cancelled': 'Cancelled',
    stepsLabel: 'Steps: draft, approval, sending, done',
    'step.draft': 'Draft',
    'step.approved': 'Approved',
    'step.sending': 'Sending',
    'step.done': 'Done',
    metaAuthor: 'Author',
    metaApprovedBy: 'Approved by',
    metaStartAt: 'Start',
    metaStartNow: 'as soon as it is sent',
    metaStarted: 'Sending started',
    metaFinished: 'Finished',
    metaCancelled: 'Cancelled',
    metaCorrected: 'Corrected',
    staffMe: 'you',
    staffOther: 'staff #{id}',

    hintDraftAuthor: 'Needs a second person: a lawyer or an admin other than you must review and approve this alert. You cannot approve your own alert.',
    hintDraftReviewer: 'Needs a second person — that is you: check the text in every language and the audience. Once approved, staff can send it.',
    hintDraftOther: 'Awaiting approval by a lawyer or admin who did not write it.',
    hintApprovedAuthor: 'Approved — ready to send. Editing it sends it back to draft and it must be approved again.',
    hintApprovedOther: 'Approved. Staff or an admin sends it.',
    hintScheduled: 'Scheduled for {when}. It can still be cancelled before it starts.',
    hintSending: 'Sending. “Cancel” stops the remaining sends; delivered copies can be corrected.',
    hintDone: 'Finished. If the text has a mistake, correct it: delivered messages are edited with a “corrected” mark.',
    hintCancelled: 'This alert was cancelled.',
    hintCancelledSent: 'Cancelled; some messages had already gone out — they can be corrected.',
    hintCorrecting: 'Corrections are going out: {n} still queued.',

    alertEdit: 'Edit',
    alertApprove: 'Approve',
    alertSendNow: 'Send now',
    alertSendCount: 'Send now ({n} recipients)',
    alertSchedule: 'Schedule for {when}',
    alertCancel: 'Cancel sending',
    alertCorrect: 'Correct the text',
    alertPreviewSend: 'Preview in my chat',
    alertPreviewHint: 'Every language version goes to your own Telegram chat — check how the formatting looks.',
    alertDid_approve: 'Alert #{id} approved.',
    alertDid_send: 'Alert #{id}: sending started.',
    alertDid_scheduled: 'Alert #{id} scheduled.',
    alertDid_cancel: 'Alert #{id} cancelled.',
    alertCreated: 'Draft #{id} saved. Recipients now: {n}. A second person must approve it next.',
    alertSaved: 'Alert #{id} saved as a draft.',
    alertCorrected: 'Correction accepted: delivered messages will be edited ({n}).',
    alertPreviewSent: 'Sent to your chat {chat}: {n} message(s).',

    progressTitle: 'Progress',
    progressLabel: '{done} of {total} delivered',
    progressSent: 'Delivered',
    progressPending: 'Queued',
    progressBlocked: 'Blocked the bot',
    progressFailed: 'Failed',
    progressCancelled: 'Cancelled',
    progressTotal: 'Total',
    progressRate: 'Rate: {n} per second',
    progressEta: 'Time left: about {d}',
    progressEtaUnknown: 'Time left: estimating…',
    progressFallback: 'Got Russian instead of their language: {n}',
    progressDuplicates: 'Possible duplicates: {n}',
    progressDuplicatesHint: 'The sender restarted while sending: these users may have received the message twice.',
    progressCorrected: 'Corrected: {n}',
    progressCorrectionPending: 'corrections queued: {n}',
    progressWaiting: 'Sending has not started yet.',

    alertTextsTitle: 'Alert text',
    alertCorrectionTitle: 'Corrected text',
    alertTextFallbackNote: 'Users whose language has no text get the Russian one.',
    audienceTitle: 'Audience',
    audienceEveryone: 'Everyone who accepted the terms and did not turn alerts off',
    audienceLanguages: 'Languages',
    audienceCitizenships: 'Citizenship',
    audienceTopics: 'Topics',
    audienceSummaryEveryone: 'All the bot’s users (who accepted the terms and did not turn alerts off).',
    audienceAnd: 'A user matches when every ticked group matches (within a group, any of the ticked options).',
    audienceNow: 'Would reach now',

    editorNew: 'New alert',
    editorEdit: 'Edit alert #{id}',
    editorCorrect: 'Correct alert #{id}',
    editorEditApproved: 'This alert is already approved: saving sends it back to draft and it must be approved again.',
    editorCorrectHint: 'Every delivered message is edited in the user’s chat and gets a “corrected” mark. Copies not sent yet go out with the new text.',
    editorTexts: 'Text in each language',
    editorTextsHint: 'Russian is required: users whose language has no text get the Russian one. Telegram formatting: {tags}.',
    editorLangNav: 'Text languages',
    required: 'required',
    optional: 'optional',
    filled: 'filled in',
    empty: 'empty',
    textLabel: '{lang}',
    previewLabel: 'What the user sees ({lang})',
    previewEmpty: 'The preview appears here.',
    previewRu: 'Empty — users with this language get the Russian text.',
    htmlProblem: 'Telegram will reject this text: {p}',
    charCount: '{n} / {max}',
    audienceHint: 'Tick “everyone” or choose groups.',
    audienceSize: 'Recipients: {n}',
    audienceFallback: 'of them in Russian (no text in their language): {n}',
    audienceCounting: 'Counting recipients…',
    audienceNone: 'Choose who gets it.',
    startLabel: 'Start (optional)',
    startHint: 'Your computer’s time ({tz}). Empty: sending starts as soon as “Send” is pressed.',
    startClear: 'Clear',
    saveDraft: 'Save draft',
    correctSave: 'Correct for every recipient',
    errRuRequired: 'Write the Russian text: it is required.',
    errAudience: 'Choose who gets the alert.',
    errHtml: '{lang}: {p}',
    errTooLong: '{lang}: the text is longer than {max} characters.',
    errStart: 'The start time is not valid.',

    recipientsTitle: 'Recipients',
    recipientsFilter: 'Delivery state',
    recipientsAll: 'All',
    recipientsCount: 'Showing {n}',
    recipientsCountMax: 'Showing the first {n}',
    recipientsEmpty: 'No recipients in this state.',
    colUser: 'User',
    colLanguage: 'Language',
    colDelivery: 'Delivery',
    colSentAt: 'Sent',
    colError: 'Error',
    fallbackMark: 'instead of their language',
    'rstatus.pending': 'queued',
    'rstatus.sent': 'delivered',
    'rstatus.blocked': 'blocked the bot',
    'rstatus.failed': 'failed',
    'rstatus.cancelled': 'cancelled',

    flowsTitle: 'Bot flows',
    flowsHint: 'Diagrams of the bot’s sections: questions, branches and outcomes with their legal references. The diagram text is the Russian source.',
    flowsReload: 'Reload flow files',
    flowsReloaded: 'Flows reloaded:',
    flowsReloadFailed: 'The flow files were not loaded — the bot keeps running on the previous ones. Error:',
    flowsReloadUnavailable: 'Reloading is available in local mode only.',
    flowsLoading: 'Loading the flows…',
    flowsLoadingLib: 'Drawing the diagrams…',
    flowsEmpty: 'No flows.',
    flowsLibFailed: 'The diagram library did not load: {msg}',
    flowVersion: 'Version',
    flowNodes: 'Steps',
    flowId: 'Code',
    flowReviewed: 'Reviewed by a lawyer',
    flowNotReviewed: 'no dates',
    flowTry: 'Try this flow',
    newTab: '(opens in a new tab)',
    flowDiagramLabel: 'Diagram of the flow “{title}”',
    flowRenderFailed: 'The diagram could not be drawn: {msg}',
    flowSource: 'Diagram source (Mermaid)',
    flowActualSize: 'Actual size',
    flowFitWidth: 'Fit to width',

    'lang.ru': 'Russian',
    'lang.uz': 'Uzbek',
    'lang.tg': 'Tajik',
    'lang.ky': 'Kyrgyz',
    'lang.az': 'Azerbaijani',
    'lang.ro': 'Romanian',
    'lang.en': 'English',
    'topic.general': 'General question',
    'topic.patent': 'Work patent',
    'topic.registration': 'Registration',
    'topic.status': 'Length of stay',
    'topic.detention': 'Detention',
    'flow.work-patent': 'Work patent',
    'flow.registration': 'Registration (migration record)',
    'flow.stay-status': 'Length of stay and RKL',
    'cit.uz': 'Uzbekistan',
    'cit.tj': 'Tajikistan',
    'cit.kg': 'Kyrgyzstan',
    'cit.kz': 'Kazakhstan',
    'cit.am': 'Armenia',
    'cit.by': 'Belarus',
    'cit.az': 'Azerbaijan',
    'cit.md': 'Moldova',
    'cit.eaeu': 'an EAEU country',
    'cit.other-visa-free': 'another visa-free country',
    'cit.visa': 'a visa country',
    'cit.other': 'another country',
  },
};

const LOCALES = { ru: 'ru-RU', en: 'en-GB' };

// ---------------------------------------------------------------------------
// State
// ---------------------------------------------------------------------------

const state = {
  lang: loadLang(),
  token: sessionStorage.getItem(TOKEN_KEY),
  me: null,
  route: { page: 'queue', caseId: null },
  filters: loadFilters(),
  queue: { items: [], nextCursor: undefined, loaded: false, loading: false, seq: 0, sig: '' },
  knownCaseIds: new Set(),
  newCaseIds: new Set(),
  topics: new Set(KNOWN_TOPICS),
  current: null, // { id, data, sig, seq, newMsgIds:Set }
  seenMessage: new Map(), // caseId -> highest message id seen
  drafts: new Map(), // caseId -> { reply, note }
  templatesByLang: new Map(),
  templates: { items: [], editingId: null, confirmingId: null },
  stats: null,
  alerts: newAlertsState(),
  flows: { items: [], loaded: false, loading: false, svgs: new Map(), actual: new Set(), seq: 0 },
  local: null, // null: not checked yet; true/false: local mode (the chat page and /local routes exist)
  errorSource: null,
  polling: false,
  pollTimer: null,
  noticeTimer: null,
};

function newAlertsState() {
  return {
    items: [],
    loaded: false,
    sig: '',
    seq: 0,
    current: null, // { id, data, sig, progressSig, seq, audience }
    editor: null, // see openEditor()
    drafts: new Map(), // 'new' | 'edit:12' | 'correct:12' -> editor values not saved yet
    pollTimer: null,
    recipients: { status: '', seq: 0, sig: '' },
  };
}

function loadLang() {
  try {
    const l = localStorage.getItem(LANG_KEY);
    return l === 'en' || l === 'ru' ? l : 'ru';
  } catch {
    return 'ru';
  }
}

function defaultFilters() {
  return { status: ACTIVE, priority: '', language: '', topic: '', assignee: '' };
}

function loadFilters() {
  try {
    const f = JSON.parse(sessionStorage.getItem(FILTERS_KEY) || 'null');
    if (f && typeof f === 'object') return { ...defaultFilters(), ...f };
  } catch {}
  return defaultFilters();
}

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

const $ = (id) => document.getElementById(id);

/** Translates a key, filling {placeholders}. Unknown keys fall back to Russian, then to the key. */
function t(key, params = {}) {
  const s = I18N[state.lang][key] ?? I18N.ru[key] ?? key;
  return s.replace(/\{(\w+)\}/g, (_, k) => (params[k] === undefined ? `{${k}}` : String(params[k])));
}
/** A translated label for a value from a known set, or the raw value. */
function label(prefix, value) {
  const key = `${prefix}.${value}`;
  return I18N[state.lang][key] ?? I18N.ru[key] ?? String(value);
}

/**
 * Creates an element. Children that are strings become text nodes, so
 * user-supplied text is never parsed as HTML.
 */
function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k === 'text') el.textContent = v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

function show(el, visible) {
  el.hidden = !visible;
}

function locale() {
  return LOCALES[state.lang] ?? 'ru-RU';
}

function formatDateOnly(iso) {
  if (!iso || !/^\d{4}-\d{2}-\d{2}$/.test(iso)) return iso ?? '';
  const [y, m, d] = iso.split('-').map(Number);
  return new Intl.DateTimeFormat(locale(), { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'UTC' }).format(new Date(Date.UTC(y, m - 1, d)));
}

function formatDateTime(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(locale(), { day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit' }).format(d);
}

function formatTimeShort(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const sameDay = new Date().toDateString() === d.toDateString();
  return new Intl.DateTimeFormat(locale(), sameDay ? { hour: '2-digit', minute: '2-digit' } : { day: '2-digit', month: '2-digit', hour: '2-digit', minute: '2-digit' }).format(d);
}

/** "3 hours ago", "только что". */
function ago(iso) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const sec = Math.round((Date.now() - d.getTime()) / 1000);
  if (sec < 45) return t('justNow');
  const rtf = new Intl.RelativeTimeFormat(locale(), { numeric: 'always' });
  const min = Math.round(sec / 60);
  if (min < 60) return rtf.format(-min, 'minute');
  const hours = Math.round(sec / 3600);
  if (hours < 24) return rtf.format(-hours, 'hour');
  const days = Math.round(sec / 86400);
  if (days < 60) return rtf.format(-days, 'day');
  return rtf.format(-Math.round(days / 30), 'month');
}

/** Today's date in Moscow (the deadlines are Russian legal dates). */
function todayIso() {
  try {
    return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Moscow', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
  } catch {
    const d = new Date();
    return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
  }
}

function daysUntil(isoDate) {
  const toUtc = (s) => {
    const [y, m, d] = s.split('-').map(Number);
    return Date.UTC(y, m - 1, d);
  };
  return Math.round((toUtc(isoDate) - toUtc(todayIso())) / 86_400_000);
}

/** The deadline badge: red when 3 days or less (or past), amber up to 7, grey beyond. */
function deadlineBadge(isoDate) {
  if (!isoDate || !/^\d{4}-\d{2}-\d{2}$/.test(isoDate)) return null;
  const days = daysUntil(isoDate);
  const level = days <= 3 ? 'red' : days <= 7 ? 'amber' : 'grey';
  const when = new Intl.RelativeTimeFormat(locale(), { numeric: 'auto' }).format(days, 'day');
  const text = days < 0 ? t('deadlinePast', { when }) : t('deadlineFuture', { when });
  return h('span', {
    class: `badge deadline deadline-${level}`,
    'data-testid': 'deadline-badge',
    'data-days': days,
    'data-level': level,
    title: t('deadlineTitle', { date: formatDateOnly(isoDate) }),
  }, days <= 3 ? '⏰ ' : '', text);
}

function formatDuration(seconds) {
  if (seconds === null || seconds === undefined) return t('noData');
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return t('durSeconds', { s });
  const m = Math.floor(s / 60);
  if (m < 60) return t('durMinutes', { m });
  const hh = Math.floor(m / 60);
  if (hh < 24) return t('durHours', { h: hh, m: m % 60 });
  return t('durDays', { d: Math.floor(hh / 24), h: hh % 24 });
}

function assigneeText(c) {
  if (c.assigneeId === null || c.assigneeId === undefined) return t('unassigned');
  if (state.me && c.assigneeId === state.me.id) return t('assignedMe');
  return t('assignedOther', { id: c.assigneeId });
}

function languageText(code) {
  return `${label('lang', code)} (${code})`;
}

function canWork() {
  return !!state.me && WORK_ROLES.includes(state.me.role);
}

// ---------------------------------------------------------------------------
// API
// ---------------------------------------------------------------------------

class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

async function api(path, { method = 'GET', body } = {}) {
  const headers = { Authorization: `Bearer ${state.token}`, Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let res;
  try {
    res = await fetch(API + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store' });
  } catch (e) {
    throw new ApiError(0, e?.message || 'network error');
  }
  const raw = res.status === 204 ? '' : await res.text();
  let data = null;
  if (raw) {
    try {
      data = JSON.parse(raw);
    } catch {
      data = null;
    }
  }
  if (!res.ok) {
    const message = (data && typeof data.error === 'string' && data.error) || res.statusText || `HTTP ${res.status}`;
    if (res.status === 401 && state.me) {
      queueMicrotask(() => logout(t('sessionEnded', { msg: message }), true));
    }
    throw new ApiError(res.status, message);
  }
  return data;
}

function errorText(err) {
  if (err instanceof ApiError) {
    if (err.status === 0) return t('errNetwork', { msg: err.message });
    if (err.status === 409) return t('err409', { msg: err.message });
    if (err.status === 429) return t('err429', { msg: err.message });
    return t('errHttp', { status: err.status, msg: err.message });
  }
  return String(err?.message ?? err);
}

// ---------------------------------------------------------------------------
// Banners
// ---------------------------------------------------------------------------

function showError(errOrText, source = 'action') {
  const msg = typeof errOrText === 'string' ? errOrText : errorText(errOrText);
  $('error-text').textContent = msg;
  show($('error-banner'), true);
  state.errorSource = source;
}

function clearError(source) {
  if (source && state.errorSource !== source) return;
  show($('error-banner'), false);
  $('error-text').textContent = '';
  state.errorSource = null;
}

function notify(msg) {
  const n = $('notice');
  n.textContent = msg;
  show(n, true);
  clearTimeout(state.noticeTimer);
  state.noticeTimer = setTimeout(() => show(n, false), 5000);
}

function announce(msg) {
  const live = $('live');
  live.textContent = '';
  setTimeout(() => {
    live.textContent = msg;
  }, 50);
}

/** Runs a user action: clears the old error, shows a new one, disables the button meanwhile. */
async function runAction(button, fn) {
  clearError();
  if (button) {
    button.disabled = true;
    button.setAttribute('aria-busy', 'true');
  }
  try {
    return await fn();
  } catch (e) {
    showError(e);
    return undefined;
  } finally {
    if (button) {
      button.removeAttribute('aria-busy');
      button.disabled = false;
      // Re-apply the state-driven disabled flags (reply box etc.).
      if (state.current?.data) updateFormsEnabled(state.current.data.case);
    }
  }
}

// ---------------------------------------------------------------------------
// Static labels and language switch
// ---------------------------------------------------------------------------

function applyStaticTexts() {
  document.documentElement.lang = state.lang;
  for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of document.querySelectorAll('[data-i18n-aria-label]')) el.setAttribute('aria-label', t(el.dataset.i18nAriaLabel));
  const sw = $('lang-switch');
  sw.textContent = t('langSwitch');
  sw.setAttribute('lang', state.lang === 'ru' ? 'en' : 'ru');
  sw.setAttribute('aria-label', t('langSwitchLabel'));
  updateTitle();
  renderWhoami();
}

function updateTitle() {
  const n = state.newCaseIds.size;
  document.title = (n ? `(${n}) ` : '') + t('appTitle');
  const link = document.querySelector('[data-nav="queue"]');
  if (link) {
    link.textContent = t('navQueue');
    if (n) link.append(' ', h('span', { class: 'nav-count', 'aria-label': t('newCasesLive', { n }) }, String(n)));
  }
}

function switchLanguage() {
  state.lang = state.lang === 'ru' ? 'en' : 'ru';
  show($('notice'), false);
  $('live').textContent = '';
  try {
    localStorage.setItem(LANG_KEY, state.lang);
  } catch {}
  applyStaticTexts();
  buildFilterSelects();
  buildTemplateLanguageSelects();
  state.queue.sig = '';
  renderQueue();
  if (state.current?.data) {
    state.current.sig = '';
    renderCase();
  }
  renderTemplates();
  renderStats();
  updateReplyCount();
  rerenderAlertsPage();
  renderFlows();
  if ($('login-submit').dataset.busy !== 'true') $('login-submit').textContent = t('loginSubmit');
}

// ---------------------------------------------------------------------------
// Login / logout
// ---------------------------------------------------------------------------

function renderWhoami() {
  const el = $('whoami');
  if (!state.me) {
    el.textContent = '';
    show(el, false);
    return;
  }
  el.textContent = t('whoami', { name: state.me.name, role: label('role', state.me.role) });
  show(el, true);
}

async function login(token) {
  state.token = token;
  const me = await api('/me');
  state.me = me;
  sessionStorage.setItem(TOKEN_KEY, token);
  state.knownCaseIds.clear();
  state.newCaseIds.clear();
  afterLogin();
}

function afterLogin() {
  show($('login-view'), false);
  show(document.querySelector('.mainnav'), true);
  show($('logout'), true);
  for (const el of document.querySelectorAll('[data-nav="queue"], [data-nav="templates"]')) show(el, canWork());
  show($('alert-new'), isAlertAuthor());
  renderWhoami();
  detectLocalMode();
  buildFilterSelects();
  buildTemplateLanguageSelects();
  // Topics for the filter come from the statistics (the API has no list of topics).
  loadStats({ quiet: true });
  route();
  schedulePoll();
}

function logout(message, isError = false) {
  clearTimeout(state.pollTimer);
  sessionStorage.removeItem(TOKEN_KEY);
  state.token = null;
  state.me = null;
  state.current = null;
  state.queue = { items: [], nextCursor: undefined, loaded: false, loading: false, seq: state.queue.seq + 1, sig: '' };
  state.knownCaseIds.clear();
  state.newCaseIds.clear();
  state.seenMessage.clear();
  state.drafts.clear();
  state.templatesByLang.clear();
  state.templates = { items: [], editingId: null, confirmingId: null };
  state.stats = null;
  clearTimeout(state.alerts.pollTimer);
  clearTimeout(state.alerts.editor?.audTimer);
  state.alerts = newAlertsState();
  state.flows.items = [];
  state.flows.loaded = false;
  state.local = null;
  // Remove personal data from the page.
  $('queue').replaceChildren();
  $('case-summary').textContent = '';
  $('case-thread').replaceChildren();
  $('case-notes').replaceChildren();
  $('case-context').replaceChildren();
  $('reply-text').value = '';
  $('note-text').value = '';
  $('template-list').replaceChildren();
  $('stats').replaceChildren();
  $('alert-list').replaceChildren();
  $('alert-editor').replaceChildren();
  $('recipients-body').replaceChildren();
  for (const id of ['alert-meta', 'alert-actions', 'alert-progress-body', 'alert-texts', 'alert-audience']) $(id).replaceChildren();
  $('flow-cards').replaceChildren();
  show($('alert-view'), false);
  show($('alert-editor'), false);
  show($('flows-reload-result'), false);
  show($('case-view'), false);
  show($('case-placeholder'), true);
  for (const id of ['queue-page', 'templates-page', 'stats-page', 'alerts-page', 'flows-page']) show($(id), false);
  show(document.querySelector('.mainnav'), false);
  show($('logout'), false);
  renderWhoami();
  updateTitle();
  show($('login-view'), true);
  clearError();
  if (message) {
    if (isError) showError(message, 'session');
    else notify(message);
  }
  $('login-token').value = '';
  $('login-token').focus();
}

async function onLoginSubmit(e) {
  e.preventDefault();
  const input = $('login-token');
  const token = input.value.trim();
  clearError();
  if (!token) {
    showError(t('loginEmpty'));
    input.focus();
    return;
  }
  const btn = $('login-submit');
  btn.disabled = true;
  btn.dataset.busy = 'true';
  btn.textContent = t('loginChecking');
  try {
    await login(token);
    input.value = '';
  } catch (err) {
    state.token = null;
    state.me = null;
    showError(err);
    input.focus();
    input.select();
  } finally {
    btn.disabled = false;
    btn.dataset.busy = 'false';
    btn.textContent = t('loginSubmit');
  }
}

// ---------------------------------------------------------------------------
// Routing: #/queue, #/case/12, #/templates, #/stats, #/alerts, #/alerts/new,
// #/alerts/12, #/alerts/12/edit, #/alerts/12/correct, #/flows
// ---------------------------------------------------------------------------

function parseHash() {
  const hash = location.hash.replace(/^#\/?/, '');
  const base = { caseId: null, alertId: null, alertMode: null };
  const m = /^case\/(\d+)$/.exec(hash);
  if (m) return { ...base, page: 'queue', caseId: Number(m[1]) };
  if (hash === 'templates') return { ...base, page: 'templates' };
  if (hash === 'stats') return { ...base, page: 'stats' };
  if (hash === 'flows') return { ...base, page: 'flows' };
  if (hash === 'alerts') return { ...base, page: 'alerts' };
  if (hash === 'alerts/new') return { ...base, page: 'alerts', alertMode: 'new' };
  const a = /^alerts\/(\d+)(?:\/(edit|correct))?$/.exec(hash);
  if (a) return { ...base, page: 'alerts', alertId: Number(a[1]), alertMode: a[2] ?? 'view' };
  return { ...base, page: 'queue', explicit: hash !== '' };
}

function route() {
  if (!state.me) return;
  let r = parseHash();
  if (!canWork() && (r.page === 'queue' || r.page === 'templates')) {
    // Staff: alerts are their work; the queue and templates are for lawyers.
    if (r.page === 'templates' || r.caseId !== null || r.explicit) notify(t('staffNoQueue'));
    r = { page: 'alerts', caseId: null, alertId: null, alertMode: null };
    history.replaceState(null, '', '#/alerts');
  }
  const prevCase = state.current?.id ?? null;
  // Moving elsewhere is a new action: an old error would only confuse.
  if (r.page !== state.route.page || r.caseId !== prevCase) clearError('action');
  state.route = r;
  show($('queue-page'), r.page === 'queue');
  show($('templates-page'), r.page === 'templates');
  show($('stats-page'), r.page === 'stats');
  show($('alerts-page'), r.page === 'alerts');
  show($('flows-page'), r.page === 'flows');
  if (r.page !== 'alerts') clearTimeout(state.alerts.pollTimer);
  for (const a of document.querySelectorAll('.mainnav a')) {
    if (a.dataset.nav === r.page) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  document.body.dataset.page = r.page;
  document.body.classList.toggle('has-case', (r.page === 'queue' && r.caseId !== null) || (r.page === 'alerts' && r.alertMode !== null));

  if (r.page === 'queue') {
    if (!state.queue.loaded) loadQueue();
    if (r.caseId !== null && r.caseId !== prevCase) openCase(r.caseId);
    else if (r.caseId === null && prevCase !== null) closeCaseView();
    else if (r.caseId === null) {
      show($('case-view'), false);
      show($('case-placeholder'), true);
    }
    state.queue.sig = '';
    renderQueue();
  } else if (r.page === 'templates') {
    loadTemplatesPage();
  } else if (r.page === 'stats') {
    loadStats();
  } else if (r.page === 'alerts') {
    if (!state.alerts.loaded) loadAlerts();
    else renderAlertList();
    openAlertRoute(r);
  } else if (r.page === 'flows') {
    loadFlowsPage();
  }
}

// ---------------------------------------------------------------------------
// Queue
// ---------------------------------------------------------------------------

function option(value, text, selected) {
  const o = h('option', { value }, text);
  if (selected) o.selected = true;
  return o;
}

function buildFilterSelects() {
  const f = state.filters;
  const statusValues = [
    [ACTIVE, t('statusActive')],
    ...STATUSES.map((s) => [s, label('status', s)]),
    [STATUSES.join(','), t('statusAll')],
  ];
  $('f-status').replaceChildren(...statusValues.map(([v, l]) => option(v, l, f.status === v)));
  $('f-priority').replaceChildren(option('', t('any'), !f.priority), ...['urgent', 'normal'].map((p) => option(p, label('priority', p), f.priority === p)));
  $('f-language').replaceChildren(option('', t('any'), !f.language), ...LANGUAGES.map((l) => option(l, languageText(l), f.language === l)));
  const topics = [...state.topics].sort((a, b) => KNOWN_TOPICS.indexOf(a) - KNOWN_TOPICS.indexOf(b));
  if (f.topic && !state.topics.has(f.topic)) topics.push(f.topic);
  $('f-topic').replaceChildren(option('', t('any'), !f.topic), ...topics.map((tp) => option(tp, label('topic', tp), f.topic === tp)));
  $('f-assignee').replaceChildren(option('', t('any'), !f.assignee), option('me', t('assigneeMine'), f.assignee === 'me'), option('none', t('assigneeNone'), f.assignee === 'none'));
}

function onFilterChange() {
  state.filters = {
    status: $('f-status').value,
    priority: $('f-priority').value,
    language: $('f-language').value,
    topic: $('f-topic').value,
    assignee: $('f-assignee').value,
  };
  try {
    sessionStorage.setItem(FILTERS_KEY, JSON.stringify(state.filters));
  } catch {}
  loadQueue();
}

function resetFilters() {
  state.filters = defaultFilters();
  try {
    sessionStorage.removeItem(FILTERS_KEY);
  } catch {}
  buildFilterSelects();
  loadQueue();
}

function queueParams(limit, cursor) {
  const p = new URLSearchParams();
  const f = state.filters;
  if (f.status) p.set('status', f.status);
  if (f.priority) p.set('priority', f.priority);
  if (f.language) p.set('language', f.language);
  if (f.topic) p.set('topic', f.topic);
  if (f.assignee) p.set('assignee', f.assignee);
  if (cursor) p.set('cursor', cursor);
  p.set('limit', String(limit));
  return p;
}

/**
 * Loads the queue. `mode`: 'reset' (filters changed: first page), 'refresh'
 * (after an action: as many as are shown, marks unseen cases as new), 'poll'
 * (the same, but skipped while another load is under way), 'more' (next page).
 */
async function loadQueue(mode = 'reset') {
  if (!canWork()) return;
  const q = state.queue;
  if (mode === 'poll') {
    if (q.loading) return;
    mode = 'refresh';
  }
  const seq = ++q.seq;
  q.loading = true;
  let limit = PAGE_SIZE;
  if (mode === 'refresh') limit = Math.min(MAX_PAGE, Math.max(PAGE_SIZE, q.items.length));
  const cursor = mode === 'more' ? q.nextCursor : undefined;
  if (mode === 'more') $('load-more').disabled = true;
  if (mode === 'reset' && !q.loaded) $('queue-count').textContent = t('loading');
  try {
    const data = await api(`/cases?${queueParams(limit, cursor)}`);
    if (seq !== q.seq) return;
    const items = data.items ?? [];
    let fresh = 0;
    for (const c of items) {
      if (!state.knownCaseIds.has(c.id)) {
        if (mode === 'refresh' && q.loaded) {
          state.newCaseIds.add(c.id);
          fresh++;
        }
        state.knownCaseIds.add(c.id);
      }
      if (!state.topics.has(c.topic)) {
        state.topics.add(c.topic);
        buildFilterSelects();
      }
    }
    if (fresh) announce(t('newCasesLive', { n: state.newCaseIds.size }));
    q.items = mode === 'more' ? [...q.items, ...items.filter((c) => !q.items.some((x) => x.id === c.id))] : items;
    q.nextCursor = data.nextCursor;
    q.loaded = true;
    clearError('poll');
    renderQueue();
    updateTitle();
  } catch (e) {
    if (seq !== q.seq) return;
    showError(e, mode === 'refresh' ? 'poll' : 'action');
  } finally {
    if (seq === q.seq) q.loading = false;
    $('load-more').disabled = false;
  }
}

/** The user's question from the summary, for the one-line preview. */
function snippetOf(c) {
  const lines = (c.summaryRu || '').split('\n');
  const q = lines.find((l) => l.startsWith('Вопрос'));
  if (q) return q.replace(/^Вопрос[^:]*:\s*/, '');
  return lines.find((l) => l.startsWith('Раздел')) ?? lines[0] ?? '';
}

function queueItem(c) {
  const mine = state.me && c.assigneeId === state.me.id;
  const unread = c.unread && mine;
  const isNew = state.newCaseIds.has(c.id);
  const current = state.route.caseId === c.id;
  const classes = ['queue-item', `status-${c.status}`];
  if (c.priority === 'urgent') classes.push('urgent');
  if (unread) classes.push('unread');
  if (isNew) classes.push('is-new');
  if (current) classes.push('is-current');
  return h(
    'li',
    { class: classes.join(' '), 'data-testid': 'queue-item', 'data-case-id': c.id, 'data-priority': c.priority, 'data-status': c.status, 'data-unread': unread ? 'true' : 'false', 'data-new': isNew ? 'true' : 'false' },
    h(
      'a',
      { href: `#/case/${c.id}`, class: 'qi-link', 'aria-current': current ? 'true' : null },
      h(
        'span',
        { class: 'qi-top' },
        c.priority === 'urgent' ? h('span', { class: 'qi-sos', title: t('urgentLabel') }, h('span', { 'aria-hidden': 'true' }, '🆘 '), h('span', { class: 'visually-hidden' }, `${t('urgentLabel')}: `)) : null,
        unread ? h('span', { class: 'unread-dot', 'data-testid': 'unread-mark', title: t('unreadLabel') }, h('span', { class: 'visually-hidden' }, t('unreadLabel'))) : null,
        h('span', { class: 'qi-id' }, `#${c.id}`),
        h('span', { class: 'qi-topic' }, label('topic', c.topic)),
        h('span', { class: 'badge badge-lang', title: languageText(c.language) }, c.language.toUpperCase()),
        isNew ? h('span', { class: 'badge badge-new' }, t('newBadge')) : null,
      ),
      h('span', { class: 'qi-snippet' }, snippetOf(c)),
      h(
        'span',
        { class: 'qi-bottom' },
        deadlineBadge(c.nearestDeadline),
        h('span', { class: `badge badge-status status-${c.status}` }, label('status', c.status)),
        h('span', { class: 'qi-assignee' }, assigneeText(c)),
        h('time', { class: 'qi-age', datetime: c.createdAt, title: formatDateTime(c.createdAt) }, ago(c.createdAt)),
      ),
    ),
  );
}

function renderQueue() {
  const q = state.queue;
  const list = $('queue');
  // Re-render only when something visible changed (ages change once a minute).
  const sig = JSON.stringify([q.items, [...state.newCaseIds], state.route.caseId, state.lang, Math.floor(Date.now() / 60000), todayIso(), !!q.nextCursor]);
  if (sig === q.sig) return;
  q.sig = sig;
  const focusedId = document.activeElement?.closest?.('[data-testid="queue-item"]')?.dataset.caseId;
  list.replaceChildren(...q.items.map(queueItem));
  if (focusedId) list.querySelector(`[data-case-id="${CSS.escape(focusedId)}"] a`)?.focus();
  show($('queue-empty'), q.loaded && q.items.length === 0);
  show($('load-more'), !!q.nextCursor);
  const fresh = q.items.filter((c) => state.newCaseIds.has(c.id)).length;
  $('queue-count').textContent = q.loaded ? t(q.nextCursor ? 'queueCountMore' : 'queueCount', { n: q.items.length }) + (fresh ? ` · ${t('queueNew', { n: fresh })}` : '') : '';
}

// ---------------------------------------------------------------------------
// Case view
// ---------------------------------------------------------------------------

function saveDrafts() {
  const cur = state.current;
  if (!cur) return;
  state.drafts.set(cur.id, { reply: $('reply-text').value, note: $('note-text').value });
}

function closeCaseView() {
  saveDrafts();
  state.current = null;
  show($('case-view'), false);
  show($('case-placeholder'), true);
  $('case-placeholder').textContent = t('pickCase');
}

async function openCase(id) {
  saveDrafts();
  state.current = { id, data: null, sig: '', seq: 0, newMsgIds: new Set() };
  state.newCaseIds.delete(id);
  updateTitle();
  const draft = state.drafts.get(id) ?? { reply: '', note: '' };
  $('reply-text').value = draft.reply;
  $('note-text').value = draft.note;
  updateReplyCount();
  show($('case-view'), false);
  show($('case-placeholder'), true);
  $('case-placeholder').textContent = t('loading');
  const ok = await refreshCase();
  if (ok && state.current?.id === id) {
    const title = $('case-title');
    title.focus({ preventScroll: true });
    if (window.matchMedia('(max-width: 799px)').matches) $('case-view').scrollIntoView({ block: 'start' });
    else $('case-panel').scrollTop = 0;
  }
}

/** Fetches the open case and re-renders what changed. Returns true on success. */
async function refreshCase({ poll = false } = {}) {
  const cur = state.current;
  if (!cur) return false;
  const seq = ++cur.seq;
  try {
    const data = await api(`/cases/${cur.id}`);
    if (state.current !== cur || seq !== cur.seq) return false;
    // New user messages since this lawyer last looked at the case.
    const seen = state.seenMessage.get(cur.id);
    const maxId = data.messages.reduce((m, x) => Math.max(m, x.id), 0);
    if (seen !== undefined) {
      const fresh = data.messages.filter((m) => m.author === 'user' && m.id > seen);
      for (const m of fresh) cur.newMsgIds.add(m.id);
      if (fresh.length && poll) announce(t('newMessagesLive', { id: cur.id }));
    }
    state.seenMessage.set(cur.id, Math.max(seen ?? 0, maxId));
    cur.data = data;
    syncQueueItem(data.case);
    if (poll) clearError('poll');
    renderCase();
    return true;
  } catch (e) {
    if (state.current !== cur) return false;
    showError(e, poll ? 'poll' : 'action');
    if (!cur.data) {
      $('case-placeholder').textContent = errorText(e);
    }
    return false;
  }
}

/**
 * Keeps the queue row of the open case in step with what was just read. Reading
 * one's own case marks it read on the server (the response still says unread).
 */
function syncQueueItem(c) {
  const items = state.queue.items;
  const i = items.findIndex((x) => x.id === c.id);
  if (i < 0) return;
  const mine = state.me && c.assigneeId === state.me.id;
  items[i] = { ...c, unread: mine ? false : c.unread };
  renderQueue();
}

function renderCase() {
  const cur = state.current;
  if (!cur?.data) return;
  const { case: c, context, messages, notes } = cur.data;
  show($('case-placeholder'), false);
  show($('case-view'), true);

  const sig = JSON.stringify([cur.data, [...cur.newMsgIds], state.lang, state.me?.id, todayIso()]);
  if (sig === cur.sig) return;
  const firstRender = cur.sig === '';
  cur.sig = sig;

  const view = $('case-view');
  view.dataset.caseId = c.id;
  view.dataset.status = c.status;
  view.classList.toggle('urgent', c.priority === 'urgent');

  const title = $('case-title');
  const urgent = c.priority === 'urgent';
  title.replaceChildren(
    ...(urgent ? [h('span', { class: 'sos', 'aria-hidden': 'true' }, '🆘 '), h('span', { class: 'visually-hidden' }, `${t('urgentLabel')}: `)] : []),
    t('caseTitle', { id: c.id }),
  );

  renderCaseMeta(c);
  renderCaseActions(c);
  $('case-summary').textContent = c.summaryRu;
  renderContext(context);
  renderThread(c, messages);
  renderNotes(notes);
  renderTemplatePicker(c.language);
  updateFormsEnabled(c);
  if (firstRender) $('context-box').open = !!context?.flows?.length && window.matchMedia('(min-width: 800px)').matches;
}

function renderCaseMeta(c) {
  const item = (key, ...value) => h('div', { class: 'meta-item' }, h('dt', {}, t(key)), h('dd', {}, ...value));
  const items = [
    item('metaStatus', h('span', { class: `badge badge-status status-${c.status}`, 'data-testid': 'case-status' }, label('status', c.status))),
    item('metaPriority', h('span', { class: `badge ${c.priority === 'urgent' ? 'badge-urgent' : 'badge-plain'}` }, label('priority', c.priority))),
    item('metaTopic', label('topic', c.topic)),
    item('metaLanguage', languageText(c.language)),
  ];
  if (c.citizenship) items.push(item('metaCitizenship', label('cit', c.citizenship)));
  if (c.nearestDeadline) items.push(item('metaDeadline', deadlineBadge(c.nearestDeadline), ' ', h('span', { class: 'muted' }, formatDateOnly(c.nearestDeadline))));
  items.push(item('metaAssignee', h('span', { 'data-testid': 'case-assignee' }, assigneeText(c))));
  items.push(item('metaCreated', h('time', { datetime: c.createdAt, title: formatDateTime(c.createdAt) }, `${formatDateTime(c.createdAt)} · ${ago(c.createdAt)}`)));
  if (c.firstResponseAt) items.push(item('metaFirstResponse', h('time', { datetime: c.firstResponseAt }, formatDateTime(c.firstResponseAt))));
  if (c.closedAt) items.push(item('metaClosed', h('time', { datetime: c.closedAt }, formatDateTime(c.closedAt))));
  if (c.rating !== null && c.rating !== undefined) {
    items.push(item('metaRating', h('span', { 'aria-hidden': 'true' }, '⭐'.repeat(c.rating)), ` ${c.rating}/5`, c.ratingComment ? h('span', { class: 'rating-comment' }, ` — ${c.ratingComment}`) : null));
  }
  $('case-meta').replaceChildren(h('dl', { class: 'meta' }, items));
}

function caseFlags(c) {
  const me = state.me;
  const mine = c.assigneeId !== null && c.assigneeId === me.id;
  const admin = me.role === 'admin';
  const active = c.status === 'open' || c.status === 'claimed';
  const heldByOther = c.assigneeId !== null && !mine;
  return { mine, admin, active, heldByOther };
}

function renderCaseActions(c) {
  const { mine, admin, active, heldByOther } = caseFlags(c);
  const visible = {
    claim: active && c.assigneeId === null,
    release: c.status === 'claimed' && (mine || admin),
    close: active && (!heldByOther || admin),
    reopen: c.status === 'closed' && !c.anonymised,
  };
  for (const btn of $('case-actions').querySelectorAll('[data-action]')) show(btn, visible[btn.dataset.action]);
  let hint = '';
  if (c.anonymised) hint = t('hintAnonymised');
  else if (c.status === 'withdrawn') hint = t('hintWithdrawn');
  else if (c.status === 'closed') hint = t('hintClosed');
  else if (heldByOther) hint = t('hintClaimedOther', { id: c.assigneeId });
  else if (c.assigneeId === null) hint = t('hintOpen');
  $('case-hint').textContent = hint;
  show($('case-hint'), !!hint);
  $('case-hint').classList.toggle('hint-warn', heldByOther || c.anonymised);
}

function updateFormsEnabled(c) {
  const { admin, active, heldByOther } = caseFlags(c);
  let reason = '';
  if (c.anonymised) reason = t('replyDisabledAnon');
  else if (c.status === 'withdrawn') reason = t('replyDisabledWithdrawn');
  else if (!active) reason = t('replyDisabledClosed');
  else if (heldByOther && !admin) reason = t('replyDisabledOther');
  const disabled = !!reason;
  $('reply-text').disabled = disabled;
  $('template-picker').disabled = disabled;
  if ($('reply-send').getAttribute('aria-busy') !== 'true') $('reply-send').disabled = disabled;
  $('reply-disabled').textContent = reason;
  show($('reply-disabled'), disabled);
  const noteDisabled = !!c.anonymised;
  $('note-text').disabled = noteDisabled;
  if ($('note-send').getAttribute('aria-busy') !== 'true') $('note-send').disabled = noteDisabled;
}

function renderContext(context) {
  const box = $('case-context');
  const flows = context?.flows ?? [];
  const parts = [];
  if (context?.from?.flowId) {
    parts.push(h('p', { class: 'context-from' }, t('contextFrom', { flow: label('flow', context.from.flowId), node: context.from.node ?? '' })));
  }
  if (!flows.length) parts.push(h('p', { class: 'muted' }, t('contextEmpty')));
  for (const f of flows) {
    const answers = Object.entries(f.answers ?? {});
    const dates = f.dates ?? [];
    parts.push(
      h(
        'section',
        { class: 'flow', 'data-testid': 'context-flow', 'data-flow-id': f.flowId },
        h('h4', {}, label('flow', f.flowId), ' ', h('span', { class: 'muted small' }, t('flowAt', { time: formatDateTime(f.at) }))),
        h('p', { class: 'small' }, h('strong', {}, `${t('outcome')}: `), h('code', {}, String(f.outcome ?? ''))),
        answers.length
          ? h(
              'table',
              { class: 'kv' },
              h('caption', {}, t('answersCaption')),
              h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('colQuestion')), h('th', { scope: 'col' }, t('colAnswer')))),
              h(
                'tbody',
                {},
                answers.map(([k, v]) => h('tr', {}, h('th', { scope: 'row' }, h('code', {}, k)), h('td', {}, formatAnswer(k, v)))),
              ),
            )
          : h('p', { class: 'muted small' }, t('noAnswers')),
        dates.length
          ? h(
              'table',
              { class: 'kv' },
              h('caption', {}, t('datesCaption')),
              h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('colDateId')), h('th', { scope: 'col' }, t('colDate')))),
              h(
                'tbody',
                {},
                dates.map((d) =>
                  h(
                    'tr',
                    {},
                    h('th', { scope: 'row' }, h('code', {}, String(d.id))),
                    h('td', {}, formatDateOnly(d.date), d.provisional ? h('span', { class: 'muted' }, ` (${t('provisional')})`) : null, ' ', deadlineBadge(d.date)),
                  ),
                ),
              ),
            )
          : null,
      ),
    );
  }
  box.replaceChildren(...parts);
}

function formatAnswer(key, value) {
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return formatDateOnly(value);
  if (key === 'citizenship' && typeof value === 'string') return `${label('cit', value)} (${value})`;
  if (value !== null && typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function deliveryView(c, m) {
  const d = m.delivery;
  if (!d) return null;
  const bits = [];
  let cls = 'delivery';
  if (d.status === 'sent') {
    cls += ' delivery-sent';
    bits.push(t('delivery.sent'));
    if (d.sentAt) bits.push(` · ${formatTimeShort(d.sentAt)}`);
  } else if (d.status === 'pending') {
    cls += ' delivery-pending';
    bits.push(t('delivery.pending'));
    if (d.attempts) bits.push(` · ${t('attempts', { n: d.attempts })}`);
    if (d.lastError) bits.push(` · ${t('lastError', { e: d.lastError })}`);
  } else if (d.status === 'failed' || d.status === 'blocked') {
    cls += ' delivery-failed';
    bits.push(t(`delivery.${d.status}`));
    if (d.attempts) bits.push(` · ${t('attempts', { n: d.attempts })}`);
    if (d.lastError) bits.push(` · ${t('lastError', { e: d.lastError })}`);
  } else {
    bits.push(t('delivery.unknown', { status: d.status }));
  }
  const failed = d.status === 'failed' || d.status === 'blocked';
  return h(
    'div',
    { class: cls, 'data-testid': 'delivery', 'data-delivery': d.status },
    h('span', {}, ...bits),
    failed
      ? h('button', { type: 'button', class: 'btn btn-small btn-retry', 'data-testid': 'delivery-retry', onclick: (e) => retryDeliveries(c.id, e.currentTarget) }, t('retry'))
      : null,
  );
}

function renderThread(c, messages) {
  const list = $('case-thread');
  if (!messages.length) {
    list.replaceChildren(h('li', { class: 'muted thread-empty' }, t('threadEmpty')));
    return;
  }
  list.replaceChildren(
    ...messages.map((m) => {
      const isUser = m.author === 'user';
      const isNew = state.current?.newMsgIds.has(m.id);
      const who = isUser ? t('authorUser') : m.staffId === state.me?.id ? t('authorMe') : t('authorLawyer', { id: m.staffId ?? '?' });
      return h(
        'li',
        {
          class: `msg msg-${isUser ? 'user' : 'lawyer'}${isNew ? ' is-new' : ''}`,
          'data-testid': 'thread-message',
          'data-author': m.author,
          'data-message-id': m.id,
          'data-new': isNew ? 'true' : null,
        },
        h(
          'div',
          { class: 'msg-head' },
          h('span', { class: 'msg-author' }, who),
          h('time', { datetime: m.createdAt, title: formatDateTime(m.createdAt) }, formatTimeShort(m.createdAt)),
          isNew ? h('span', { class: 'badge badge-new' }, t('newBadge')) : null,
        ),
        h('p', { class: 'msg-text', lang: isUser ? null : 'ru', dir: 'auto' }, m.text),
        m.fileIds?.length ? h('p', { class: 'msg-files small' }, t('files', { n: m.fileIds.length })) : null,
        isUser ? null : deliveryView(c, m),
      );
    }),
  );
}

function renderNotes(notes) {
  const list = $('case-notes');
  if (!notes.length) {
    list.replaceChildren(h('li', { class: 'muted notes-empty' }, t('notesEmpty')));
    return;
  }
  list.replaceChildren(
    ...notes.map((n) =>
      h(
        'li',
        { class: 'note', 'data-testid': 'case-note', 'data-note-id': n.id },
        h(
          'div',
          { class: 'note-head small' },
          h('span', { class: 'badge badge-note' }, t('noteBadge')),
          ' ',
          h('span', {}, n.staffId === state.me?.id ? t('authorMe') : t('authorLawyer', { id: n.staffId })),
          ' · ',
          h('time', { datetime: n.createdAt, title: formatDateTime(n.createdAt) }, formatTimeShort(n.createdAt)),
        ),
        h('p', { class: 'note-text', dir: 'auto' }, n.text),
      ),
    ),
  );
}

// ---------------------------------------------------------------------------
// Case actions, reply, notes, deliveries
// ---------------------------------------------------------------------------

async function refreshAll() {
  await Promise.all([refreshCase(), loadQueue('refresh')]);
}

async function caseAction(action, button) {
  const cur = state.current;
  if (!cur) return;
  const id = cur.id;
  await runAction(button, async () => {
    try {
      await api(`/cases/${id}/${action}`, { method: 'POST' });
      notify(t(`did${action[0].toUpperCase()}${action.slice(1)}`, { id }));
    } finally {
      // Refresh even after a 409: the case probably changed under us.
      await refreshAll();
    }
  });
  // Keep the error (if any) visible: refreshAll does not clear action errors.
}

async function sendReply(e) {
  e?.preventDefault();
  const cur = state.current;
  if (!cur) return;
  const ta = $('reply-text');
  const text = ta.value.trim();
  if (!text) {
    showError(t('replyEmpty'));
    ta.focus();
    return;
  }
  if (text.length > MAX_TEXT) {
    showError(t('textTooLong', { max: MAX_TEXT }));
    return;
  }
  const id = cur.id;
  await runAction($('reply-send'), async () => {
    await api(`/cases/${id}/reply`, { method: 'POST', body: { text } });
    if (state.current?.id === id) {
      ta.value = '';
      updateReplyCount();
    }
    state.drafts.set(id, { reply: '', note: state.drafts.get(id)?.note ?? '' });
    notify(t('replySent'));
    await refreshAll();
    // The outbox usually delivers within a second: show the ✓ without waiting for the poll.
    setTimeout(() => {
      if (state.current?.id === id) refreshCase({ poll: true });
    }, 1500);
  });
}

async function sendNote(e) {
  e?.preventDefault();
  const cur = state.current;
  if (!cur) return;
  const ta = $('note-text');
  const text = ta.value.trim();
  if (!text) {
    showError(t('noteEmpty'));
    ta.focus();
    return;
  }
  if (text.length > MAX_TEXT) {
    showError(t('textTooLong', { max: MAX_TEXT }));
    return;
  }
  const id = cur.id;
  await runAction($('note-send'), async () => {
    await api(`/cases/${id}/notes`, { method: 'POST', body: { text } });
    if (state.current?.id === id) ta.value = '';
    state.drafts.set(id, { reply: state.drafts.get(id)?.reply ?? '', note: '' });
    notify(t('noteAdded'));
    await refreshAll();
  });
}

async function retryDeliveries(id, button) {
  await runAction(button, async () => {
    const r = await api(`/cases/${id}/deliveries/retry`, { method: 'POST' });
    if (r?.requeued) notify(t('retryDone', { n: r.requeued }));
    else showError(t('retryNone'));
    await refreshCase();
    setTimeout(() => {
      if (state.current?.id === id) refreshCase({ poll: true });
    }, 1500);
  });
}

function updateReplyCount() {
  const n = $('reply-text').value.length;
  const el = $('reply-count');
  el.textContent = t('replyCount', { n, max: MAX_TEXT });
  el.classList.toggle('over', n > MAX_TEXT);
}

// ---------------------------------------------------------------------------
// Templates (canned answers)
// ---------------------------------------------------------------------------

async function templatesFor(language) {
  if (!LANGUAGES.includes(language)) return [];
  if (!state.templatesByLang.has(language)) {
    const p = api(`/templates?language=${encodeURIComponent(language)}`).catch((e) => {
      state.templatesByLang.delete(language);
      throw e;
    });
    state.templatesByLang.set(language, p);
  }
  return state.templatesByLang.get(language);
}

async function renderTemplatePicker(language) {
  const picker = $('template-picker');
  const key = `${language}|${state.lang}`;
  let list = [];
  try {
    list = await templatesFor(language);
  } catch (e) {
    showError(e);
  }
  if (state.current?.data?.case.language !== language) return;
  const sig = JSON.stringify([key, list.map((x) => [x.id, x.title, x.updatedAt])]);
  if (picker.dataset.sig === sig) return;
  picker.dataset.sig = sig;
  const langName = label('lang', language);
  picker.replaceChildren(
    option('', list.length ? t('templateChoose', { lang: langName }) : t('templatesNone', { lang: langName }), true),
    ...list.map((tpl) => h('option', { value: String(tpl.id) }, tpl.title)),
  );
  picker._templates = list;
}

function onTemplatePicked() {
  const picker = $('template-picker');
  const id = Number(picker.value);
  if (!id) return;
  const tpl = (picker._templates ?? []).find((x) => x.id === id);
  picker.value = '';
  if (!tpl) return;
  const ta = $('reply-text');
  const { selectionStart: s, selectionEnd: e, value } = ta;
  if (!value.trim()) {
    ta.value = tpl.text;
  } else {
    const before = value.slice(0, s);
    const after = value.slice(e);
    const sepBefore = before && !before.endsWith('\n') ? '\n\n' : '';
    const sepAfter = after && !after.startsWith('\n') ? '\n\n' : '';
    ta.value = before + sepBefore + tpl.text + sepAfter + after;
    const caret = (before + sepBefore + tpl.text).length;
    ta.setSelectionRange(caret, caret);
  }
  updateReplyCount();
  ta.focus();
}

function buildTemplateLanguageSelects() {
  const filter = $('tpl-filter');
  const fv = filter.value;
  filter.replaceChildren(option('', t('tplAllLanguages'), !fv), ...LANGUAGES.map((l) => option(l, languageText(l), fv === l)));
  const sel = $('tpl-language');
  const lv = sel.value || 'ru';
  sel.replaceChildren(...LANGUAGES.map((l) => option(l, languageText(l), lv === l)));
  renderTemplateFormTitle();
}

async function loadTemplatesPage() {
  if (!canWork()) return;
  const language = $('tpl-filter').value;
  try {
    const list = await api(`/templates${language ? `?language=${encodeURIComponent(language)}` : ''}`);
    state.templates.items = list;
    renderTemplates();
  } catch (e) {
    showError(e);
  }
}

function renderTemplates() {
  const { items, confirmingId, editingId } = state.templates;
  const list = $('template-list');
  list.replaceChildren(
    ...items.map((tpl) => {
      const confirming = confirmingId === tpl.id;
      return h(
        'li',
        { class: `template-item${editingId === tpl.id ? ' is-editing' : ''}`, 'data-testid': 'template-item', 'data-template-id': tpl.id },
        h(
          'div',
          { class: 'template-head' },
          h('h3', { class: 'template-title' }, tpl.title),
          h('span', { class: 'badge badge-lang', title: languageText(tpl.language) }, tpl.language.toUpperCase()),
        ),
        h('p', { class: 'template-text', dir: 'auto' }, tpl.text),
        h('p', { class: 'muted small' }, t('tplUpdated', { time: formatDateTime(tpl.updatedAt) })),
        confirming
          ? h(
              'div',
              { class: 'template-buttons confirm', role: 'group', 'aria-label': t('confirmDelete', { title: tpl.title }) },
              h('span', { class: 'confirm-text' }, t('confirmDelete', { title: tpl.title })),
              h('button', { type: 'button', class: 'btn btn-small btn-danger', 'data-testid': 'template-delete-confirm', onclick: (e) => deleteTemplate(tpl, e.currentTarget) }, t('yesDelete')),
              h('button', { type: 'button', class: 'btn btn-small btn-ghost', onclick: () => setConfirming(null, tpl.id) }, t('no')),
            )
          : h(
              'div',
              { class: 'template-buttons' },
              h('button', { type: 'button', class: 'btn btn-small', 'data-testid': 'template-edit', onclick: () => editTemplate(tpl) }, t('edit')),
              h('button', { type: 'button', class: 'btn btn-small btn-danger-ghost', 'data-testid': 'template-delete', onclick: () => setConfirming(tpl.id, tpl.id) }, t('delete')),
            ),
      );
    }),
  );
  show($('template-empty'), items.length === 0);
}

function setConfirming(id, focusTemplateId) {
  state.templates.confirmingId = id;
  renderTemplates();
  const li = $('template-list').querySelector(`[data-template-id="${focusTemplateId}"]`);
  li?.querySelector(id ? '.btn-danger' : '[data-testid="template-delete"]')?.focus();
}

function renderTemplateFormTitle() {
  const id = state.templates.editingId;
  $('tpl-form-title').textContent = id ? t('tplEdit', { id }) : t('tplAdd');
  show($('tpl-cancel'), !!id);
}

function editTemplate(tpl) {
  state.templates.editingId = tpl.id;
  state.templates.confirmingId = null;
  $('tpl-language').value = tpl.language;
  $('tpl-title').value = tpl.title;
  $('tpl-text').value = tpl.text;
  renderTemplateFormTitle();
  renderTemplates();
  $('tpl-title').focus();
  $('template-form').scrollIntoView({ block: 'nearest' });
}

function resetTemplateForm() {
  state.templates.editingId = null;
  $('tpl-title').value = '';
  $('tpl-text').value = '';
  renderTemplateFormTitle();
  renderTemplates();
}

async function saveTemplate(e) {
  e.preventDefault();
  const body = { language: $('tpl-language').value, title: $('tpl-title').value.trim(), text: $('tpl-text').value.trim() };
  if (!body.language || !body.title || !body.text) {
    showError(t('tplFieldsRequired'));
    return;
  }
  const editing = state.templates.editingId;
  await runAction($('tpl-save'), async () => {
    if (editing) await api(`/templates/${editing}`, { method: 'PATCH', body });
    else await api('/templates', { method: 'POST', body });
    state.templatesByLang.clear();
    notify(t(editing ? 'tplSaved' : 'tplCreated'));
    resetTemplateForm();
    await loadTemplatesPage();
  });
}

async function deleteTemplate(tpl, button) {
  await runAction(button, async () => {
    await api(`/templates/${tpl.id}`, { method: 'DELETE' });
    state.templatesByLang.clear();
    state.templates.confirmingId = null;
    if (state.templates.editingId === tpl.id) resetTemplateForm();
    notify(t('tplDeleted'));
    await loadTemplatesPage();
    $('tpl-filter').focus();
  });
}

// ---------------------------------------------------------------------------
// Statistics
// ---------------------------------------------------------------------------

async function loadStats({ quiet = false } = {}) {
  try {
    state.stats = await api('/stats');
    let added = false;
    for (const k of Object.keys(state.stats.byTopic ?? {})) {
      if (!state.topics.has(k)) {
        state.topics.add(k);
        added = true;
      }
    }
    if (added) buildFilterSelects();
    renderStats();
  } catch (e) {
    if (!quiet) showError(e);
  }
}

function renderStats() {
  const s = state.stats;
  const box = $('stats');
  if (!s) {
    box.replaceChildren();
    return;
  }
  const total = Object.values(s.byStatus ?? {}).reduce((a, b) => a + b, 0);
  const big = (key, value, testid) =>
    h('div', { class: 'stat-card' }, h('div', { class: `stat-value${value === t('noData') ? ' no-data' : ''}`, 'data-testid': testid }, value), h('div', { class: 'stat-label' }, t(key)));
  const table = (key, obj, prefix) => {
    const rows = Object.entries(obj ?? {}).sort((a, b) => b[1] - a[1]);
    return h(
      'table',
      { class: 'kv stat-table' },
      h('caption', {}, t(key)),
      h('tbody', {}, rows.length ? rows.map(([k, n]) => h('tr', {}, h('th', { scope: 'row' }, prefix === 'lang' ? languageText(k) : label(prefix, k)), h('td', {}, String(n)))) : h('tr', {}, h('td', { colspan: 2, class: 'muted' }, t('noData')))),
    );
  };
  box.replaceChildren(
    h(
      'div',
      { class: 'stat-cards' },
      big('totalCases', String(total), 'stat-total'),
      big('medianFirstResponse', formatDuration(s.medianFirstResponseSeconds), 'stat-first-response'),
      big('medianResolution', formatDuration(s.medianResolutionSeconds), 'stat-resolution'),
      big('averageRating', s.averageRating === null || s.averageRating === undefined ? t('noData') : `${s.averageRating} / 5`, 'stat-rating'),
    ),
    h('div', { class: 'stat-tables' }, table('byStatus', s.byStatus, 'status'), table('byTopic', s.byTopic, 'topic'), table('byLanguage', s.byLanguage, 'lang')),
  );
}

// ---------------------------------------------------------------------------
// Live updates
// ---------------------------------------------------------------------------

function schedulePoll() {
  clearTimeout(state.pollTimer);
  if (!state.me || document.hidden) return;
  state.pollTimer = setTimeout(pollTick, POLL_MS);
}

async function pollTick() {
  clearTimeout(state.pollTimer);
  if (!state.me || document.hidden || state.polling) return;
  state.polling = true;
  try {
    const jobs = [];
    if (canWork()) jobs.push(loadQueue('poll'));
    if (state.current && state.route.page === 'queue') jobs.push(refreshCase({ poll: true }));
    if (state.route.page === 'stats') jobs.push(loadStats({ quiet: true }));
    if (state.route.page === 'alerts') jobs.push(loadAlerts({ quiet: true }));
    await Promise.all(jobs);
  } finally {
    state.polling = false;
    schedulePoll();
  }
}

// ---------------------------------------------------------------------------
// Wiring
// ---------------------------------------------------------------------------

function ctrlEnter(handler) {
  return (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      handler();
    }
  };
}

function init() {
  applyStaticTexts();
  $('lang-switch').addEventListener('click', switchLanguage);
  $('logout').addEventListener('click', () => logout(t('loggedOut')));
  $('error-dismiss').addEventListener('click', () => clearError());
  $('notice').addEventListener('click', () => show($('notice'), false));
  $('login-form').addEventListener('submit', onLoginSubmit);

  $('filters').addEventListener('change', onFilterChange);
  $('filters').addEventListener('submit', (e) => e.preventDefault());
  $('filters-reset').addEventListener('click', resetFilters);
  $('queue-refresh').addEventListener('click', (e) => runAction(e.currentTarget, () => Promise.all([loadQueue('refresh'), state.current ? refreshCase() : null])));
  $('load-more').addEventListener('click', () => loadQueue('more'));

  for (const btn of $('case-actions').querySelectorAll('[data-action]')) {
    btn.addEventListener('click', () => caseAction(btn.dataset.action, btn));
  }
  $('reply-form').addEventListener('submit', sendReply);
  $('reply-text').addEventListener('input', updateReplyCount);
  $('reply-text').addEventListener('keydown', ctrlEnter(() => sendReply()));
  $('template-picker').addEventListener('change', onTemplatePicked);
  $('note-form').addEventListener('submit', sendNote);
  $('note-text').addEventListener('keydown', ctrlEnter(() => sendNote()));

  $('tpl-filter').addEventListener('change', loadTemplatesPage);
  $('template-form').addEventListener('submit', saveTemplate);
  $('tpl-cancel').addEventListener('click', resetTemplateForm);
  $('stats-refresh').addEventListener('click', (e) => runAction(e.currentTarget, () => loadStats()));

  $('alerts-refresh').addEventListener('click', (e) => runAction(e.currentTarget, () => Promise.all([loadAlerts(), state.alerts.current ? refreshAlert() : null])));
  $('alert-editor').addEventListener('submit', saveEditor);
  $('alert-editor').addEventListener('input', onEditorInput);
  $('alert-editor').addEventListener('change', onEditorChange);
  $('recipients-filter').addEventListener('change', () => {
    state.alerts.recipients.status = $('recipients-filter').value;
    loadRecipients();
  });
  $('alert-recipients').addEventListener('toggle', () => {
    if ($('alert-recipients').open) loadRecipients();
  });
  $('flows-reload').addEventListener('click', (e) => reloadFlows(e.currentTarget));
  $('flows-refresh').addEventListener('click', (e) => runAction(e.currentTarget, () => loadFlowsPage({ force: true })));

  window.addEventListener('hashchange', route);
  document.addEventListener('visibilitychange', () => {
    if (document.hidden) {
      clearTimeout(state.pollTimer);
      clearTimeout(state.alerts.pollTimer);
    } else if (state.me) {
      pollTick();
      scheduleAlertPoll();
    }
  });

  buildFilterSelects();
  buildTemplateLanguageSelects();
  buildRecipientsFilter();
  updateReplyCount();

  if (state.token) {
    login(state.token).catch((e) => {
      state.token = null;
      state.me = null;
      sessionStorage.removeItem(TOKEN_KEY);
      show($('login-view'), true);
      showError(e.status === 401 ? t('sessionEnded', { msg: e.message }) : errorText(e), 'session');
    });
  } else {
    show($('login-view'), true);
    $('login-token').focus();
  }
}

init();
