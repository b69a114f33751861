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
    assignedOther: 'у юриста: {id}',
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
    authorLawyer: 'Юрист: {id}',
    files: '📎 Вложений: {n}',
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
    staffOther: '{id}',

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
    progressScheduled: 'Рассылка начнётся {when}; счётчики появятся после начала.',

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
    editorTextsHint: 'Русский обязателен: пользователи, для языка которых нет текста, получат русский. Можно использовать разметку Telegram:',
    editorNewHint: 'Сохраните черновик — затем его проверит и одобрит второй человек (юрист или администратор), и только после этого его можно отправить.',
    backToAlert: '← К оповещению #{id}',
    alertOriginalTitle: 'Первоначальный текст',
    alertStatusLive: 'Оповещение #{id}: {status}',
    hintDoneOther: 'Рассылка закончена.',
    htmlTag: 'тег <{tag}> Telegram не поддерживает',
    htmlClose: '</{tag}> закрывает <{top}>',
    htmlCloseNothing: 'лишний закрывающий тег </{tag}>',
    htmlHref: 'у <a> должен быть только href="https://…"',
    htmlEntity: 'неизвестная сущность &{e};',
    htmlBare: 'символ «{c}» нужно писать как {esc}',
    htmlUnclosed: 'тег <{tag}> не закрыт',
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
    audienceFallback: 'из них получат русский текст (нет текста на их языке): {n}',
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
    flowsReload: 'Перечитать сценарии',
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
    // Issue 16: translation, attachments, confirmations, search, notifications.
    fSearch: "Поиск: номер или слова",
    notifyUrgent: "🔔 Уведомлять о срочных",
    notifyOn: "Уведомления о новых срочных обращениях включены (пока консоль открыта).",
    notifyDenied: "Браузер не разрешил уведомления. Включите их в настройках сайта.",
    urgentNotification: "🆘 Срочное обращение #{id}",
    urgentNotificationBody: "Язык: {lang}. Откройте консоль, чтобы прочитать.",
    earlierTitle: "Другие обращения этого человека",
    earlierItem: "#{id} · {status} · {topic} · {date}",
    translationLabel: "Перевод для пользователя — {lang} (машинный перевод, можно исправить)",
    translateDraft: "Перевести",
    translationOff: "Машинный перевод не настроен: ответ уйдёт на русском. (Администратор может подключить LibreTranslate или Yandex Cloud.)",
    translationSensitive: "Не переводится: чувствительная тема. Тексты этого обращения не передаются в сервис перевода; ответ уйдёт на русском.",
    translationOn: "Машинный перевод: {provider}. Сообщения пользователя переведены на русский; ответ пишите по-русски.",
    translationWorking: "Перевод…",
    translationReady: "Проверьте перевод: пользователь получит его, а ниже — ваш русский текст.",
    translationFromTemplate: "Готовый перевод из шаблона. Проверьте и отправьте.",
    translationCheckFirst: "Сначала проверьте перевод ниже, затем нажмите «Отправить» ещё раз.",
    translationFailed: "Перевод не удался ({error}). Можно отправить на русском: пользователь получит пометку, что перевод недоступен.",
    translationStale: "Русский текст изменён после перевода — нажмите «Перевести» ещё раз.",
    machineTranslation: "Машинный перевод ({provider})",
    translationPending: "Перевод готовится…",
    translationMsgFailed: "Перевод не удался: {error}",
    translationRetry: "Перевести ещё раз",
    sentTranslated: "Отправлено на языке пользователя ({kind}):",
    "sentKind.machine": "машинный перевод",
    "sentKind.edited": "перевод исправлен юристом",
    sentRussianOnly: "Отправлено на русском с пометкой: перевод не удался ({error}).",
    "attachment.photo": "🖼 Показать фото",
    "attachment.voice": "🎤 Прослушать голосовое",
    "attachment.audio": "🎵 Прослушать аудио",
    "attachment.document": "📄 Скачать документ",
    "attachment.video": "🎬 Показать видео",
    attachmentLoading: "Загрузка…",
    attachmentSaved: "Файл скачан: {name}",
    confirmCancel: "Отмена",
    confirmClose: "Закрыть обращение #{id}? Пользователю придёт просьба оценить ответ.",
    confirmCloseOk: "Да, закрыть",
    confirmSend: "Отправить оповещение #{id} всем получателям ({n})? Отменить отправленные сообщения будет нельзя.",
    confirmSendUnknown: "Отправить оповещение #{id} всем получателям? Отменить отправленные сообщения будет нельзя.",
    confirmSendOk: "Да, отправить",
    contextFromTitle: "Вопрос задан из раздела «{flow}».",
    botAnswer: "Ответ бота",
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
    assignedOther: 'lawyer: {id}',
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
    authorLawyer: 'Lawyer: {id}',
    files: '📎 Attachments: {n}',
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
    staffOther: '{id}',

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
    progressScheduled: 'Sending starts {when}; the counts appear once it starts.',

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
    editorTextsHint: 'Russian is required: users whose language has no text get the Russian one. Telegram formatting you can use:',
    editorNewHint: 'Save a draft — then a second person (a lawyer or an admin) reviews and approves it, and only then can it be sent.',
    backToAlert: '← Back to alert #{id}',
    alertOriginalTitle: 'Original text',
    alertStatusLive: 'Alert #{id}: {status}',
    hintDoneOther: 'Sending finished.',
    htmlTag: 'Telegram does not support the tag <{tag}>',
    htmlClose: '</{tag}> closes <{top}>',
    htmlCloseNothing: 'a stray closing tag </{tag}>',
    htmlHref: '<a> needs href="https://…" and nothing else',
    htmlEntity: 'unknown entity &{e};',
    htmlBare: 'write a bare “{c}” as {esc}',
    htmlUnclosed: '<{tag}> is never closed',
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
    audienceFallback: 'of them get the Russian text (none in their language): {n}',
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
    flowsReload: 'Reload flows',
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
    fSearch: "Search: number or words",
    notifyUrgent: "🔔 Notify me of urgent cases",
    notifyOn: "Notifications of new urgent cases are on (while the console is open).",
    notifyDenied: "The browser did not allow notifications. Enable them in the site settings.",
    urgentNotification: "🆘 Urgent case #{id}",
    urgentNotificationBody: "Language: {lang}. Open the console to read it.",
    earlierTitle: "This person’s other cases",
    earlierItem: "#{id} · {status} · {topic} · {date}",
    translationLabel: "Translation for the user — {lang} (machine translation, you may correct it)",
    translateDraft: "Translate",
    translationOff: "Machine translation is not set up: the answer goes in Russian. (An administrator can connect LibreTranslate or Yandex Cloud.)",
    translationSensitive: "Not translated: sensitive topic. This case’s texts are never sent to the translation service; the answer goes in Russian.",
    translationOn: "Machine translation: {provider}. The user’s messages are translated into Russian; write your answer in Russian.",
    translationWorking: "Translating…",
    translationReady: "Check the translation: the user gets it, with your Russian text below it.",
    translationFromTemplate: "Ready-made translation from the canned answer. Check it and send.",
    translationCheckFirst: "Check the translation below first, then press Send again.",
    translationFailed: "Translation failed ({error}). You can send in Russian: the user gets a note that translation was not available.",
    translationStale: "The Russian text changed after translating — press Translate again.",
    machineTranslation: "Machine translation ({provider})",
    translationPending: "Translation in progress…",
    translationMsgFailed: "Translation failed: {error}",
    translationRetry: "Translate again",
    sentTranslated: "Sent in the user’s language ({kind}):",
    "sentKind.machine": "machine translation",
    "sentKind.edited": "translation corrected by the lawyer",
    sentRussianOnly: "Sent in Russian with a note: translation failed ({error}).",
    "attachment.photo": "🖼 Show photo",
    "attachment.voice": "🎤 Play voice message",
    "attachment.audio": "🎵 Play audio",
    "attachment.document": "📄 Download document",
    "attachment.video": "🎬 Show video",
    attachmentLoading: "Loading…",
    attachmentSaved: "File downloaded: {name}",
    confirmCancel: "Cancel",
    confirmClose: "Close case #{id}? The user will be asked to rate the answer.",
    confirmCloseOk: "Yes, close it",
    confirmSend: "Send alert #{id} to all recipients ({n})? Sent messages cannot be taken back.",
    confirmSendUnknown: "Send alert #{id} to all recipients? Sent messages cannot be taken back.",
    confirmSendOk: "Yes, send it",
    contextFromTitle: "Asked from the section “{flow}”.",
    botAnswer: "Bot’s answer",
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
  route: { page: 'queue', caseId: null, alertId: null, alertMode: null },
  filters: loadFilters(),
  queue: { items: [], nextCursor: undefined, loaded: false, loading: false, seq: 0, sig: '' },
  knownCaseIds: new Set(),
  newCaseIds: new Set(),
  topics: new Set(KNOWN_TOPICS),
  current: null, // { id, data, sig, seq, newMsgIds:Set }
  seenMessage: new Map(), // caseId -> highest message id seen
  drafts: new Map(), // caseId -> { reply, note }
  attachmentUrls: new Map(), // attachment url -> { url: blob URL } while its case is open
  translationDraft: null, // { caseId, source, machine, error, fromTemplate } for the reply being written
  templatesByLang: new Map(),
  templates: { items: [], editingId: null, confirmingId: null },
  stats: null,
  statsSig: '',
  alerts: newAlertsState(),
  flows: { items: [], loaded: false, loading: false, svgs: new Map(), actual: new Set(), seq: 0 },
  local: null, // null: not checked yet; true/false: local mode (the chat page and /local routes exist)
  localCheck: null,
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
  return { status: ACTIVE, priority: '', language: '', topic: '', assignee: '', q: '' };
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

const intlCache = new Map();
/** Intl formatters are slow to build and lists re-render often: one per kind, locale and options. */
function intl(Kind, loc, options) {
  const key = `${Kind.name}|${loc}|${JSON.stringify(options)}`;
  let f = intlCache.get(key);
  if (!f) {
    f = new Kind(loc, options);
    intlCache.set(key, f);
  }
  return f;
}

function formatDateOnly(iso) {
  if (!iso || !/^\d{4}-\d{2}-\d{2}$/.test(iso)) return iso ?? '';
  const [y, m, d] = iso.split('-').map(Number);
  return intl(Intl.DateTimeFormat, locale(), { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'UTC' }).format(new Date(Date.UTC(y, m - 1, d)));
}

function formatDateTime(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return intl(Intl.DateTimeFormat, locale(), { day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit' }).format(d);
}

function formatTimeShort(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const sameDay = new Date().toDateString() === d.toDateString();
  return intl(Intl.DateTimeFormat, locale(), sameDay ? { hour: '2-digit', minute: '2-digit' } : { day: '2-digit', month: '2-digit', hour: '2-digit', minute: '2-digit' }).format(d);
}

/** "3 hours ago", "только что". */
function ago(iso) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const sec = Math.round((Date.now() - d.getTime()) / 1000);
  if (sec < 45) return t('justNow');
  const rtf = intl(Intl.RelativeTimeFormat, locale(), { numeric: 'always' });
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
    return intl(Intl.DateTimeFormat, 'en-CA', { timeZone: 'Europe/Moscow', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
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
  const when = intl(Intl.RelativeTimeFormat, locale(), { numeric: 'auto' }).format(days, 'day');
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
  return t('assignedOther', { id: staffName(c.assigneeId) });
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

/** Names of the NGO's staff, so the console says "Anna K." instead of an id. */
async function loadStaffNames() {
  try {
    state.staffNames = new Map((await api('/staff')).map((s) => [s.id, s.name]));
  } catch {
    state.staffNames = new Map();
  }
}

function staffName(id) {
  if (id === null || id === undefined) return '?';
  return state.staffNames?.get(id) ?? `#${id}`;
}

async function login(token) {
  state.token = token;
  const me = await api('/me');
  state.me = me;
  await loadStaffNames();
  sessionStorage.setItem(TOKEN_KEY, token);
  state.knownCaseIds.clear();
  state.newCaseIds.clear();
  afterLogin();
}

/** A desktop notification of a new urgent case (number and language only: no personal text). */
function notifyUrgent(c) {
  if (!('Notification' in window) || Notification.permission !== 'granted') return;
  try {
    const n = new Notification(t('urgentNotification', { id: c.id }), { body: t('urgentNotificationBody', { lang: languageText(c.language) }), tag: `pravo-case-${c.id}` });
    n.onclick = () => {
      window.focus();
      location.hash = `#/case/${c.id}`;
    };
  } catch {}
}

function renderNotifyButton() {
  const supported = 'Notification' in window;
  show($('notify-urgent'), supported && canWork() && Notification.permission === 'default');
}

async function enableNotifications() {
  const result = await Notification.requestPermission();
  notify(result === 'granted' ? t('notifyOn') : t('notifyDenied'));
  renderNotifyButton();
}

function afterLogin() {
  show($('login-view'), false);
  show(document.querySelector('.mainnav'), true);
  show($('logout'), true);
  for (const el of document.querySelectorAll('[data-nav="queue"], [data-nav="templates"]')) show(el, canWork());
  show($('alert-new'), isAlertAuthor());
  renderWhoami();
  renderNotifyButton();
  detectLocalMode();
  buildFilterSelects();
  buildTemplateLanguageSelects();
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
  state.statsSig = '';
  clearTimeout(state.alerts.pollTimer);
  clearTimeout(state.alerts.editor?.audTimer);
  state.alerts = newAlertsState();
  state.flows.items = [];
  state.flows.loaded = false;
  state.local = null;
  state.localCheck = null;
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
  const prevRoute = state.route;
  if (r.page !== prevRoute.page || r.caseId !== prevCase || r.alertId !== prevRoute.alertId || r.alertMode !== prevRoute.alertMode) clearError('action');
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
  if (document.activeElement !== $('f-q')) $('f-q').value = f.q ?? '';
}

function onFilterChange() {
  state.filters = {
    status: $('f-status').value,
    priority: $('f-priority').value,
    language: $('f-language').value,
    topic: $('f-topic').value,
    assignee: $('f-assignee').value,
    q: $('f-q').value.trim(),
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
  if (f.q) p.set('q', f.q);
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
          if (c.priority === 'urgent') notifyUrgent(c);
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
  const sig = JSON.stringify([q.loaded, q.items, [...state.newCaseIds], state.route.caseId, state.lang, Math.floor(Date.now() / 60000), todayIso(), !!q.nextCursor]);
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
  for (const { url } of state.attachmentUrls.values()) URL.revokeObjectURL(url);
  state.attachmentUrls.clear();
  state.translationDraft = null;
  $('reply-translation').value = '';
  $('translation-status').textContent = '';
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
  const { case: c, context, contextView, messages, notes, earlierCases, translation } = cur.data;
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
  renderContext(context, contextView);
  renderTranslationState(translation, c);
  renderEarlierCases(earlierCases ?? []);
  renderThread(c, messages);
  renderNotes(notes);
  renderTemplatePicker(c.language);
  updateFormsEnabled(c);
  if (firstRender) $('context-box').open = !!contextView?.length && window.matchMedia('(min-width: 800px)').matches;
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

/**
 * The flows the user walked, in the Russian words of the questions and answers the
 * server sends (`contextView`): a lawyer never has to decode node ids.
 */
function renderContext(context, contextView) {
  const box = $('case-context');
  const flows = contextView ?? [];
  const parts = [];
  if (context?.from?.flowId) parts.push(h('p', { class: 'context-from' }, t('contextFromTitle', { flow: flows.find((f) => f.flowId === context.from.flowId)?.title ?? label('flow', context.from.flowId) })));
  if (!flows.length) parts.push(h('p', { class: 'muted' }, t('contextEmpty')));
  for (const f of flows) {
    parts.push(
      h(
        'section',
        { class: 'flow', 'data-testid': 'context-flow', 'data-flow-id': f.flowId, lang: 'ru' },
        h('h4', {}, f.title, ' ', h('span', { class: 'muted small' }, t('flowAt', { time: formatDateTime(f.at) }))),
        f.answers.length
          ? h(
              'table',
              { class: 'kv' },
              h('caption', {}, t('answersCaption')),
              h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('colQuestion')), h('th', { scope: 'col' }, t('colAnswer')))),
              h('tbody', {}, f.answers.map((a) => h('tr', {}, h('th', { scope: 'row' }, a.question), h('td', {}, a.answer)))),
            )
          : h('p', { class: 'muted small' }, t('noAnswers')),
        h('p', { class: 'small' }, h('strong', {}, `${t('botAnswer')}: `), f.outcome),
        f.dates.length
          ? h(
              'table',
              { class: 'kv' },
              h('caption', {}, t('datesCaption')),
              h('tbody', {}, f.dates.map((d) => h('tr', {}, h('th', { scope: 'row' }, d.label), h('td', {}, d.date, d.provisional ? h('span', { class: 'muted' }, ` (${t('provisional')})`) : null)))),
            )
          : null,
      ),
    );
  }
  box.replaceChildren(...parts);
}

/** What the case's translation state means for the lawyer, shown under the case header. */
function renderTranslationState(tr, c) {
  const el = $('case-translation');
  const state_ = tr?.state ?? 'off';
  const text =
    state_ === 'on' ? t('translationOn', { provider: tr.provider }) : state_ === 'sensitive' ? t('translationSensitive') : state_ === 'off' ? t('translationOff') : '';
  el.textContent = text;
  el.dataset.state = state_;
  show(el, !!text);
  // The reply's translation box: only where a translation can be made (or was made from a template).
  const box = $('translation-box');
  show(box, state_ === 'on');
  $('translation-label').textContent = t('translationLabel', { lang: label('lang', tr?.language ?? c.language) });
}

/** The same person's other cases, as links. */
function renderEarlierCases(items) {
  show($('earlier-box'), items.length > 0);
  $('case-earlier').replaceChildren(
    ...items.map((e) =>
      h(
        'li',
        { 'data-testid': 'earlier-case' },
        h('a', { href: `#/case/${e.id}` }, t('earlierItem', { id: e.id, status: label('status', e.status), topic: label('topic', e.topic), date: formatDateOnly(e.createdAt.slice(0, 10)) })),
      ),
    ),
  );
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
      const who = isUser ? t('authorUser') : m.staffId === state.me?.id ? t('authorMe') : t('authorLawyer', { id: staffName(m.staffId) });
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
        translationView(c, m),
        m.attachments?.length ? h('div', { class: 'msg-files small' }, t('files', { n: m.attachments.length }), ' ', m.attachments.map((a) => attachmentView(a))) : null,
        isUser ? null : deliveryView(c, m),
      );
    }),
  );
}

/** A message's stored translation: the Russian of a migrant's words, or what the migrant received. */
function translationView(c, m) {
  const tr = m.translation;
  const isUser = m.author === 'user';
  if (isUser) {
    if (state.current?.data?.translation?.state !== 'on') return null;
    if (!tr) return h('p', { class: 'msg-translation muted small', 'data-testid': 'message-translation', 'data-status': 'pending' }, t('translationPending'));
    if (tr.status === 'failed') {
      return h(
        'p',
        { class: 'msg-translation failed small', 'data-testid': 'message-translation', 'data-status': 'failed' },
        t('translationMsgFailed', { error: tr.error ?? '' }),
        ' ',
        h('button', { type: 'button', class: 'btn btn-small', 'data-testid': 'translation-retry', onclick: (e) => retryTranslations(c.id, e.currentTarget) }, t('translationRetry')),
      );
    }
    return h(
      'div',
      { class: 'msg-translation', 'data-testid': 'message-translation', 'data-status': tr.status, lang: 'ru' },
      h('span', { class: 'mt-label small' }, t('machineTranslation', { provider: tr.provider })),
      h('p', { class: 'msg-text' }, tr.text ?? ''),
    );
  }
  if (!tr) return null;
  if (tr.status === 'failed') return h('p', { class: 'msg-translation failed small', 'data-testid': 'message-translation', 'data-status': 'failed' }, t('sentRussianOnly', { error: tr.error ?? '' }));
  return h(
    'div',
    { class: 'msg-translation', 'data-testid': 'message-translation', 'data-status': tr.status, lang: tr.language },
    h('span', { class: 'mt-label small' }, t('sentTranslated', { kind: label('sentKind', tr.status) })),
    h('p', { class: 'msg-text', dir: 'auto' }, tr.text ?? ''),
  );
}

async function retryTranslations(id, button) {
  await runAction(button, async () => {
    await api(`/cases/${id}/translations/retry`, { method: 'POST' });
    await refreshCase();
  });
}

/**
 * An attachment: fetched with the lawyer's token only when asked for (every view
 * is audited), kept as a blob URL while the case is open, never as HTML.
 */
function attachmentView(a) {
  const loaded = state.attachmentUrls.get(a.url);
  if (loaded && a.kind === 'photo') return h('img', { class: 'attachment-photo', 'data-testid': 'attachment-photo', src: loaded.url, alt: t('attachment.photo') });
  if (loaded && (a.kind === 'voice' || a.kind === 'audio')) return h('audio', { class: 'attachment-audio', 'data-testid': 'attachment-audio', controls: true, src: loaded.url });
  return h('button', { type: 'button', class: 'btn btn-small', 'data-testid': `attachment-${a.kind}`, onclick: (e) => openAttachment(a, e.currentTarget) }, t(`attachment.${a.kind}`));
}

async function openAttachment(a, button) {
  await runAction(button, async () => {
    const res = await fetch(a.url, { headers: { Authorization: `Bearer ${state.token}` }, cache: 'no-store' });
    if (!res.ok) {
      let message = `HTTP ${res.status}`;
      try {
        message = (await res.json()).error || message;
      } catch {}
      throw new ApiError(res.status, message);
    }
    const blob = await res.blob();
    const url = URL.createObjectURL(blob);
    if (a.kind === 'photo' || a.kind === 'voice' || a.kind === 'audio') {
      state.attachmentUrls.set(a.url, { url });
      if (state.current) state.current.sig = '';
      renderCase();
      return;
    }
    // Documents are saved, never opened in the console's page.
    const name = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? 'document';
    const link = h('a', { href: url, download: name });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
    notify(t('attachmentSaved', { name }));
  });
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
          h('span', {}, n.staffId === state.me?.id ? t('authorMe') : t('authorLawyer', { id: staffName(n.staffId) })),
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

/** Asks before an action that cannot be taken back; resolves true when confirmed. */
function confirmAction(message, okLabel) {
  const dialog = $('confirm-dialog');
  $('confirm-text').textContent = message;
  $('confirm-ok').textContent = okLabel;
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'ok'), { once: true });
    dialog.returnValue = '';
    dialog.showModal();
    $('confirm-cancel').focus();
  });
}

async function caseAction(action, button) {
  const cur = state.current;
  if (!cur) return;
  const id = cur.id;
  if (action === 'close' && !(await confirmAction(t('confirmClose', { id }), t('confirmCloseOk')))) return;
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

/** A textarea's trimmed text, or undefined after telling the user why it cannot be sent. */
function textToSend(ta, emptyKey) {
  const text = ta.value.trim();
  if (!text) {
    showError(t(emptyKey));
    ta.focus();
    return undefined;
  }
  if (text.length > MAX_TEXT) {
    showError(t('textTooLong', { max: MAX_TEXT }));
    return undefined;
  }
  return text;
}

/** Translates the Russian reply into the user's language, for the lawyer to check and correct. */
async function translateDraft(button) {
  const cur = state.current;
  if (!cur) return;
  const text = textToSend($('reply-text'), 'replyEmpty');
  if (text === undefined) return;
  const id = cur.id;
  $('translation-status').textContent = t('translationWorking');
  await runAction(button ?? $('translate-draft'), async () => {
    const r = await api(`/cases/${id}/translate-draft`, { method: 'POST', body: { text } });
    if (state.current?.id !== id) return;
    if (r.ok) {
      state.translationDraft = { caseId: id, source: text, machine: r.text, error: null };
      $('reply-translation').value = r.text;
      $('translation-status').textContent = t('translationReady');
    } else {
      state.translationDraft = { caseId: id, source: text, machine: null, error: r.error };
      $('reply-translation').value = '';
      $('translation-status').textContent = t('translationFailed', { error: r.error });
    }
    $('translation-status').dataset.state = r.ok ? 'ready' : 'failed';
  });
}

async function sendReply(e) {
  e?.preventDefault();
  const cur = state.current;
  if (!cur) return;
  const ta = $('reply-text');
  const text = textToSend(ta, 'replyEmpty');
  if (text === undefined) return;
  const id = cur.id;
  const body = { text };
  if (cur.data?.translation?.state === 'on') {
    const draft = state.translationDraft?.caseId === id ? state.translationDraft : null;
    const translated = $('reply-translation').value.trim();
    if (translated) body.translation = { text: translated, edited: translated !== draft?.machine };
    else if (draft?.error && draft.source === text) body.translationFailed = draft.error;
    else {
      // Never send a translation the lawyer has not seen: translate, show, and wait for a second press.
      await translateDraft($('reply-send'));
      if (state.translationDraft?.machine) notify(t('translationCheckFirst'));
      return;
    }
  }
  await runAction($('reply-send'), async () => {
    await api(`/cases/${id}/reply`, { method: 'POST', body });
    if (state.current?.id === id) {
      ta.value = '';
      $('reply-translation').value = '';
      $('translation-status').textContent = '';
      state.translationDraft = null;
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

/** A Russian text changed after it was translated: say so (the old translation is still editable). */
function onReplyInput() {
  updateReplyCount();
  const d = state.translationDraft;
  if (d && d.caseId === state.current?.id && d.source !== $('reply-text').value.trim() && !d.fromTemplate) {
    $('translation-status').textContent = t('translationStale');
    $('translation-status').dataset.state = 'stale';
  }
}

async function sendNote(e) {
  e?.preventDefault();
  const cur = state.current;
  if (!cur) return;
  const ta = $('note-text');
  const text = textToSend(ta, 'noteEmpty');
  if (text === undefined) return;
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

/**
 * Canned answers for the reply. Where the case is translated, the lawyer picks a
 * Russian answer and its version in the user's language (same key) goes into the
 * translation box; otherwise the answers in the user's language, as before.
 */
async function renderTemplatePicker(language) {
  const picker = $('template-picker');
  const translated = state.current?.data?.translation?.state === 'on';
  const pickLang = translated ? 'ru' : language;
  const key = `${language}|${pickLang}|${state.lang}`;
  let list = [];
  let own = [];
  try {
    list = await templatesFor(pickLang);
    own = translated ? await templatesFor(language) : [];
  } catch (e) {
    showError(e);
  }
  if (state.current?.data?.case.language !== language) return;
  const sig = JSON.stringify([key, list.map((x) => [x.id, x.title, x.updatedAt]), own.map((x) => [x.id, x.updatedAt])]);
  if (picker.dataset.sig === sig) return;
  picker.dataset.sig = sig;
  const langName = label('lang', pickLang);
  picker.replaceChildren(
    option('', list.length ? t('templateChoose', { lang: langName }) : t('templatesNone', { lang: langName }), true),
    ...list.map((tpl) => h('option', { value: String(tpl.id) }, tpl.title)),
  );
  picker._templates = list;
  picker._translations = own;
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
  const fresh = !value.trim();
  if (fresh) {
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
  const version = tpl.key ? (picker._translations ?? []).find((x) => x.key === tpl.key) : undefined;
  if (version && fresh && state.current) {
    $('reply-translation').value = version.text;
    state.translationDraft = { caseId: state.current.id, source: tpl.text, machine: null, error: null, fromTemplate: true };
    $('translation-status').textContent = t('translationFromTemplate');
    $('translation-status').dataset.state = 'template';
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
    renderStats();
  } catch (e) {
    if (!quiet) showError(e);
  }
}

function renderStats() {
  const s = state.stats;
  const box = $('stats');
  // The page refreshes every few seconds: rebuild only when something changed.
  const sig = JSON.stringify([state.lang, s]);
  if (sig === state.statsSig) return;
  state.statsSig = sig;
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
// Telegram HTML: safe preview and the same checks the server makes
// ---------------------------------------------------------------------------

/**
 * Renders alert text the way Telegram shows it. The text is parsed by DOMParser
 * (an inert document: nothing runs, nothing loads) and only the allowed tags are
 * rebuilt here; everything else becomes plain text. Links keep only http(s) hrefs.
 */
function telegramPreview(html) {
  const doc = new DOMParser().parseFromString(`<!doctype html><body>${html ?? ''}`, 'text/html');
  const out = document.createDocumentFragment();
  copyAllowed(doc.body, out);
  return out;
}

function copyAllowed(src, dst) {
  for (const node of src.childNodes) {
    if (node.nodeType === Node.TEXT_NODE) {
      dst.append(document.createTextNode(node.data));
      continue;
    }
    if (node.nodeType !== Node.ELEMENT_NODE) continue;
    const tag = node.localName;
    const kind = TG_TAGS[tag];
    let el = null;
    if (kind === 'a') {
      const href = safeHref(node.getAttribute('href'));
      el = href ? h('a', { href, target: '_blank', rel: 'noopener noreferrer nofollow' }) : h('span', { class: 'tg-link-bad' });
    } else if (kind === 'spoiler' || (tag === 'span' && node.classList.contains('tg-spoiler'))) {
      el = h('span', { class: 'tg-spoiler' });
    } else if (kind && kind !== 'span') {
      el = document.createElement(kind);
    }
    if (el) {
      copyAllowed(node, el);
      dst.append(el);
    } else {
      copyAllowed(node, dst);
    }
  }
}

function safeHref(raw) {
  if (!raw) return null;
  try {
    const u = new URL(raw.trim());
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : null;
  } catch {
    return null;
  }
}

/** Plain text of a Telegram HTML text (for one-line previews). */
function plainText(html) {
  const box = h('div', {}, telegramPreview(html));
  for (const el of box.querySelectorAll('blockquote, pre')) el.append(' ');
  return box.textContent.replace(/\s+/g, ' ').trim();
}

/** What Telegram (and our server) would reject, as translated messages. Mirrors src/lib/telegram-html.ts. */
function telegramHtmlProblems(text) {
  const problems = [];
  const open = [];
  const re = /<(\/?)([a-zA-Z][a-zA-Z0-9-]*)([^>]*)>|&(#x[0-9a-fA-F]+|#\d+|[a-zA-Z]+);|[<>&]/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m[2]) {
      const tag = m[2].toLowerCase();
      if (!TG_ALLOWED.has(tag)) {
        problems.push(t('htmlTag', { tag }));
        continue;
      }
      if (m[1]) {
        const top = open.pop();
        if (top !== tag) problems.push(top ? t('htmlClose', { tag, top }) : t('htmlCloseNothing', { tag }));
      } else {
        if (tag === 'a' && !/^\s+href="(https?|tg):\/\/[^"]+"\s*$/.test(m[3] ?? '')) problems.push(t('htmlHref'));
        open.push(tag);
      }
    } else if (m[4]) {
      if (!m[4].startsWith('#') && !['lt', 'gt', 'amp', 'quot'].includes(m[4])) problems.push(t('htmlEntity', { e: m[4] }));
    } else {
      problems.push(t('htmlBare', { c: m[0], esc: m[0] === '<' ? '&lt;' : m[0] === '>' ? '&gt;' : '&amp;' }));
    }
  }
  for (const tag of open) problems.push(t('htmlUnclosed', { tag }));
  return problems;
}

// ---------------------------------------------------------------------------
// Alerts: list, alert view, editor, progress, recipients
// ---------------------------------------------------------------------------

function isAlertAuthor() {
  return !!state.me && ALERT_AUTHORS.includes(state.me.role);
}

function isAlertReviewer() {
  return !!state.me && ALERT_REVIEWERS.includes(state.me.role);
}

function staffText(id) {
  if (id === null || id === undefined) return t('none');
  return state.me && id === state.me.id ? t('staffMe') : t('staffOther', { id: staffName(id) });
}

function alertStatusBadge(status, testid) {
  return h('span', { class: `badge badge-status astatus-${status}`, 'data-testid': testid ?? null, 'data-status': status }, label('astatus', status));
}

function showAlertPlaceholder(text) {
  show($('alert-view'), false);
  show($('alert-editor'), false);
  const p = $('alert-placeholder');
  p.textContent = text;
  show(p, true);
}

function alertViewVisible(cur) {
  const r = state.route;
  return r.page === 'alerts' && r.alertMode === 'view' && r.alertId === cur?.id;
}

async function loadAlerts({ quiet = false } = {}) {
  const A = state.alerts;
  const seq = ++A.seq;
  try {
    const list = await api('/alerts');
    if (seq !== A.seq || !state.me) return;
    A.items = list;
    A.loaded = true;
    renderAlertList();
    // Someone else approved, edited or sent the open alert: show it.
    const cur = A.current;
    if (cur?.data) {
      const item = list.find((x) => x.id === cur.id);
      if (item && JSON.stringify(item) !== JSON.stringify(cur.data.alert)) refreshAlert({ poll: true });
    }
    if (quiet) clearError('poll');
  } catch (e) {
    if (seq === A.seq) showError(e, quiet ? 'poll' : 'action');
  }
}

function renderAlertList() {
  const A = state.alerts;
  $('alerts-hint').textContent = state.me ? t(isAlertAuthor() ? 'alertsHintAuthor' : 'alertsHintReviewer') : '';
  const sig = JSON.stringify([A.items, state.route.alertId, state.lang, state.me?.id, Math.floor(Date.now() / 60000)]);
  if (sig === A.sig) return;
  A.sig = sig;
  const list = $('alert-list');
  const focusedId = document.activeElement?.closest?.('[data-testid="alert-item"]')?.dataset.alertId;
  list.replaceChildren(...A.items.map(alertItem));
  if (focusedId) list.querySelector(`[data-alert-id="${CSS.escape(focusedId)}"] a`)?.focus();
  show($('alerts-empty'), A.loaded && A.items.length === 0);
}

function alertItem(a) {
  const current = state.route.alertId === a.id;
  const awaiting = a.status === 'draft' && isAlertReviewer() && a.createdBy !== state.me?.id;
  const classes = ['queue-item', 'alert-item', `astatus-${a.status}`];
  if (current) classes.push('is-current');
  if (awaiting) classes.push('awaiting');
  const upcoming = a.startAt && ['draft', 'approved', 'scheduled'].includes(a.status);
  return h(
    'li',
    { class: classes.join(' '), 'data-testid': 'alert-item', 'data-alert-id': a.id, 'data-status': a.status },
    h(
      'a',
      { href: `#/alerts/${a.id}`, class: 'qi-link', 'aria-current': current ? 'true' : null },
      h(
        'span',
        { class: 'qi-top' },
        h('span', { class: 'qi-id' }, `#${a.id}`),
        alertStatusBadge(a.status),
        awaiting ? h('span', { class: 'badge badge-await' }, t('awaitingYou')) : null,
      ),
      h('span', { class: 'qi-snippet', lang: 'ru', dir: 'auto' }, plainText(a.texts.ru) || t('alertNoText')),
      h(
        'span',
        { class: 'qi-bottom' },
        Object.keys(a.texts).map((l) => h('span', { class: 'badge badge-lang', title: languageText(l) }, l.toUpperCase())),
        upcoming ? h('span', { class: 'qi-assignee' }, t('alertScheduledFor', { when: formatDateTime(a.startAt) })) : null,
        h('time', { class: 'qi-age', datetime: a.createdAt, title: formatDateTime(a.createdAt) }, ago(a.createdAt)),
      ),
    ),
  );
}

/** Shows what the hash asks for on the alerts page. */
async function openAlertRoute(r) {
  const A = state.alerts;
  const mode = r.alertMode;
  if (mode === null) {
    closeEditor();
    clearTimeout(A.pollTimer);
    A.current = null;
    renderAlertList();
    showAlertPlaceholder(t(isAlertAuthor() ? 'pickAlertAuthor' : 'pickAlert'));
    return;
  }
  if (mode === 'new') {
    if (!isAlertAuthor()) {
      location.replace('#/alerts');
      return;
    }
    clearTimeout(A.pollTimer);
    A.current = null;
    renderAlertList();
    openEditor('new', null);
    return;
  }
  const id = r.alertId;
  if (mode === 'view') {
    closeEditor();
    if (A.current?.id === id && A.current.data) {
      A.current.sig = '';
      A.current.progressSig = '';
      renderAlert();
      refreshAlert();
    } else {
      await openAlert(id);
    }
    return;
  }
  // edit / correct
  if (!isAlertAuthor()) {
    location.replace(`#/alerts/${id}`);
    return;
  }
  closeEditor();
  if (A.current?.id !== id) {
    clearTimeout(A.pollTimer);
    A.current = { id, data: null, sig: '', progressSig: '', seq: 0, audience: null };
    renderAlertList();
  }
  showAlertPlaceholder(t('loading'));
  const ok = await refreshAlert();
  const now = state.route;
  if (now.page !== 'alerts' || now.alertId !== id || now.alertMode !== mode) return;
  if (!ok) return;
  const a = A.current.data.alert;
  const allowed = mode === 'edit' ? ['draft', 'approved'].includes(a.status) : ['sending', 'done', 'cancelled'].includes(a.status);
  if (!allowed) {
    location.replace(`#/alerts/${id}`);
    return;
  }
  openEditor(mode, a);
}

async function openAlert(id) {
  const A = state.alerts;
  clearTimeout(A.pollTimer);
  A.current = { id, data: null, sig: '', progressSig: '', seq: 0, audience: null };
  A.recipients = { status: A.recipients.status, seq: A.recipients.seq + 1, sig: '', rows: null };
  $('alert-recipients').open = false;
  $('recipients-body').replaceChildren();
  $('recipients-count').textContent = '';
  renderAlertList();
  showAlertPlaceholder(t('loading'));
  const ok = await refreshAlert();
  if (ok && A.current?.id === id && alertViewVisible(A.current)) {
    $('alert-title').focus({ preventScroll: true });
    if (window.matchMedia('(max-width: 799px)').matches) $('alert-view').scrollIntoView({ block: 'start' });
    else $('alert-panel').scrollTop = 0;
  }
}

/** Fetches the open alert (and its progress) and re-renders what changed. */
async function refreshAlert({ poll = false } = {}) {
  const A = state.alerts;
  const cur = A.current;
  if (!cur) return false;
  const seq = ++cur.seq;
  try {
    const data = await api(`/alerts/${cur.id}`);
    if (A.current !== cur || seq !== cur.seq) return false;
    const prev = cur.data?.alert;
    if (prev && JSON.stringify(prev) !== JSON.stringify(data.alert)) cur.audience = null;
    if (prev && prev.status !== data.alert.status) announce(t('alertStatusLive', { id: cur.id, status: label('astatus', data.alert.status) }));
    cur.data = data;
    syncAlertItem(data.alert);
    if (poll) clearError('poll');
    if (alertViewVisible(cur)) renderAlert();
    scheduleAlertPoll();
    return true;
  } catch (e) {
    if (A.current !== cur) return false;
    showError(e, poll ? 'poll' : 'action');
    if (!cur.data) showAlertPlaceholder(errorText(e));
    scheduleAlertPoll();
    return false;
  }
}

function syncAlertItem(a) {
  const items = state.alerts.items;
  const i = items.findIndex((x) => x.id === a.id);
  if (i < 0) return;
  items[i] = a;
  renderAlertList();
}

/** While an alert is sending or scheduled (or corrections are going out), poll it every 2 s. */
function scheduleAlertPoll() {
  const A = state.alerts;
  clearTimeout(A.pollTimer);
  const cur = A.current;
  if (!cur?.data || !state.me || document.hidden || state.route.page !== 'alerts') return;
  const { alert, progress } = cur.data;
  const live = alert.status === 'sending' || alert.status === 'scheduled' || progress.correctionPending > 0;
  if (!live) return;
  A.pollTimer = setTimeout(async () => {
    if (A.current !== cur) return;
    await refreshAlert({ poll: true });
    if (A.current === cur && $('alert-recipients').open) loadRecipients({ quiet: true });
  }, ALERT_POLL_MS);
}

function renderAlert() {
  const cur = state.alerts.current;
  if (!cur?.data) return;
  const { alert: a, progress: p } = cur.data;
  show($('alert-placeholder'), false);
  show($('alert-editor'), false);
  show($('alert-view'), true);
  const view = $('alert-view');
  view.dataset.alertId = a.id;
  view.dataset.status = a.status;
  renderAlertProgress(cur, a, p);
  const sig = JSON.stringify([a, state.lang, state.me?.id, cur.audience, p.total > 0, p.sent > 0, p.correctionPending]);
  if (sig === cur.sig) return;
  cur.sig = sig;
  $('alert-title').textContent = t('alertTitle', { id: a.id });
  renderAlertSteps(a);
  renderAlertMeta(a);
  renderAlertHint(a, p);
  renderAlertActions(a, p, cur);
  renderAlertTexts(a);
  renderAlertAudience(a, cur);
  show($('alert-recipients'), p.total > 0);
  if (cur.audience === null && ['draft', 'approved', 'scheduled'].includes(a.status)) fetchAlertAudience(cur);
}

function renderAlertSteps(a) {
  const index = { draft: 0, approved: 1, scheduled: 1, sending: 2, done: 3 }[a.status] ?? -1;
  const ol = $('alert-steps');
  ol.setAttribute('aria-label', t('stepsLabel'));
  ol.classList.toggle('is-cancelled', a.status === 'cancelled');
  ol.replaceChildren(
    ...ALERT_STEPS.map((s, i) => {
      const name = i === 1 && a.status === 'scheduled' ? label('astatus', 'scheduled') : t(`step.${s}`);
      const cls = i < index || (i === index && s === 'done') ? 'done' : i === index ? 'current' : 'todo';
      return h('li', { class: `step step-${cls}`, 'aria-current': i === index ? 'step' : null }, h('span', { class: 'step-mark', 'aria-hidden': 'true' }, cls === 'done' ? '✓' : String(i + 1)), ' ', name);
    }),
    ...(a.status === 'cancelled' ? [h('li', { class: 'step step-cancelled', 'aria-current': 'step' }, h('span', { class: 'step-mark', 'aria-hidden': 'true' }, '✕'), ' ', label('astatus', 'cancelled'))] : []),
  );
}

function renderAlertMeta(a) {
  const item = (key, ...value) => h('div', { class: 'meta-item' }, h('dt', {}, t(key)), h('dd', {}, ...value));
  const time = (iso) => h('time', { datetime: iso, title: ago(iso) }, formatDateTime(iso));
  const items = [
    item('metaStatus', alertStatusBadge(a.status, 'alert-status')),
    item('metaAuthor', staffText(a.createdBy)),
    item('metaApprovedBy', a.approvedBy === null ? t('none') : staffText(a.approvedBy)),
    item('metaCreated', time(a.createdAt)),
    item('metaStartAt', a.startAt ? time(a.startAt) : t('metaStartNow')),
  ];
  if (a.startedAt) items.push(item('metaStarted', time(a.startedAt)));
  if (a.finishedAt) items.push(item('metaFinished', time(a.finishedAt)));
  if (a.cancelledAt) items.push(item('metaCancelled', time(a.cancelledAt)));
  if (a.correctedAt) items.push(item('metaCorrected', time(a.correctedAt)));
  $('alert-meta').replaceChildren(h('dl', { class: 'meta' }, items));
}

function renderAlertHint(a, p) {
  const mine = a.createdBy === state.me?.id;
  let key = '';
  let params = {};
  let warn = false;
  if (a.status === 'draft') {
    if (isAlertReviewer() && !mine) key = 'hintDraftReviewer';
    else if (mine) key = 'hintDraftAuthor';
    else key = 'hintDraftOther';
    warn = true;
  } else if (a.status === 'approved') key = isAlertAuthor() ? 'hintApprovedAuthor' : 'hintApprovedOther';
  else if (a.status === 'scheduled') {
    key = 'hintScheduled';
    params = { when: formatDateTime(a.startAt) };
  } else if (a.status === 'sending') key = 'hintSending';
  else if (a.status === 'done') key = isAlertAuthor() ? 'hintDone' : 'hintDoneOther';
  else if (a.status === 'cancelled') key = p.sent > 0 ? 'hintCancelledSent' : 'hintCancelled';
  let text = key ? t(key, params) : '';
  if (p.correctionPending > 0) text += ` ${t('hintCorrecting', { n: p.correctionPending })}`;
  const el = $('alert-hint');
  el.textContent = text;
  el.classList.toggle('hint-warn', warn);
  show(el, !!text);
}

function renderAlertActions(a, p, cur) {
  const author = isAlertAuthor();
  const mine = a.createdBy === state.me?.id;
  const btn = (key, testid, action, cls = 'btn', extra = {}) =>
    h('button', { type: 'button', class: cls, 'data-testid': testid, onclick: (e) => alertAction(action, e.currentTarget), ...extra }, t(key));
  const link = (key, testid, href, cls = 'btn') => h('a', { class: cls, 'data-testid': testid, href }, t(key));
  const out = [];
  if (a.status === 'draft' && isAlertReviewer() && !mine) out.push(btn('alertApprove', 'alert-approve', 'approve', 'btn btn-primary', { 'aria-describedby': 'alert-hint' }));
  if (a.status === 'approved' && author) {
    const future = a.startAt && new Date(a.startAt).getTime() > Date.now();
    const n = cur.audience && typeof cur.audience.recipients === 'number' ? cur.audience.recipients : null;
    const text = future ? t('alertSchedule', { when: formatDateTime(a.startAt) }) : n === null ? t('alertSendNow') : t('alertSendCount', { n });
    out.push(h('button', { type: 'button', class: 'btn btn-primary', 'data-testid': 'alert-send', onclick: (e) => alertAction('send', e.currentTarget) }, text));
  }
  if (['draft', 'approved'].includes(a.status) && author) out.push(link('alertEdit', 'alert-edit', `#/alerts/${a.id}/edit`));
  if (author && (a.status === 'sending' || a.status === 'done' || (a.status === 'cancelled' && p.sent > 0))) out.push(link('alertCorrect', 'alert-correct', `#/alerts/${a.id}/correct`));
  out.push(btn('alertPreviewSend', 'alert-preview-send', 'preview', 'btn', { title: t('alertPreviewHint') }));
  if (author && ['draft', 'approved', 'scheduled', 'sending'].includes(a.status)) out.push(btn('alertCancel', 'alert-cancel', 'cancel', 'btn btn-danger-ghost'));
  $('alert-actions').replaceChildren(...out);
}

async function alertAction(name, button) {
  const cur = state.alerts.current;
  if (!cur) return;
  const id = cur.id;
  if (name === 'send') {
    const n = cur.audience && typeof cur.audience.recipients === 'number' ? cur.audience.recipients : null;
    if (!(await confirmAction(n === null ? t('confirmSendUnknown', { id }) : t('confirmSend', { id, n }), t('confirmSendOk')))) return;
  }
  await runAction(button, async () => {
    if (name === 'preview') {
      const r = await api(`/alerts/${id}/preview`, { method: 'POST' });
      notify(t('alertPreviewSent', { chat: r.chatId, n: r.messages }));
      return;
    }
    try {
      const a = await api(`/alerts/${id}/${name}`, { method: 'POST' });
      notify(t(name === 'send' && a?.status === 'scheduled' ? 'alertDid_scheduled' : `alertDid_${name}`, { id }));
    } finally {
      // Refresh even after a 409: the alert probably changed under us.
      await refreshAlert();
      loadAlerts({ quiet: true });
      if (state.alerts.current === cur && alertViewVisible(cur)) $('alert-title').focus({ preventScroll: true });
    }
  });
}

function renderAlertProgress(cur, a, p) {
  const box = $('alert-progress-box');
  const visible = p.total > 0 || a.status === 'sending' || a.status === 'scheduled';
  show(box, visible);
  box.dataset.status = a.status;
  if (!visible) return;
  const sig = JSON.stringify([p, a.status, state.lang]);
  if (sig === cur.progressSig) return;
  cur.progressSig = sig;
  const body = $('alert-progress-body');
  if (p.total === 0) {
    body.replaceChildren(h('p', { class: 'muted' }, a.status === 'scheduled' ? t('progressScheduled', { when: formatDateTime(a.startAt) }) : t('progressWaiting')));
    return;
  }
  const finished = p.sent + p.blocked + p.failed + p.cancelled;
  const pct = (n) => `${Math.max(0, Math.min(100, (100 * n) / p.total)).toFixed(2)}%`;
  const seg = (cls, n) => (n ? h('span', { class: `seg seg-${cls}`, style: `width:${pct(n)}` }) : null);
  const count = (key, n, testid, cls) =>
    h('div', { class: `count-item${cls ? ` ${cls}` : ''}` }, h('dt', {}, t(key)), h('dd', {}, h('span', { class: `dot dot-${testid}`, 'aria-hidden': 'true' }), h('span', { 'data-testid': `progress-${testid}` }, String(n))));
  const facts = [];
  if (a.status === 'sending') {
    facts.push(h('li', {}, t('progressRate', { n: formatNumber(p.ratePerSecond) })));
    facts.push(h('li', {}, p.pending && p.etaSeconds !== null ? t('progressEta', { d: formatDuration(p.etaSeconds) }) : p.pending ? t('progressEtaUnknown') : null));
  }
  facts.push(h('li', { 'data-testid': 'progress-fallback' }, t('progressFallback', { n: p.fallback })));
  facts.push(
    h(
      'li',
      { class: p.possibleDuplicates ? 'fact-warn' : null, 'data-testid': 'progress-duplicates', title: t('progressDuplicatesHint') },
      t('progressDuplicates', { n: p.possibleDuplicates }),
      p.possibleDuplicates ? h('span', { class: 'small' }, ` — ${t('progressDuplicatesHint')}`) : null,
    ),
  );
  if (a.correctedAt || p.corrected || p.correctionPending) {
    facts.push(h('li', { 'data-testid': 'progress-corrected' }, t('progressCorrected', { n: p.corrected }), p.correctionPending ? ` · ${t('progressCorrectionPending', { n: p.correctionPending })}` : null));
  }
  body.replaceChildren(
    h(
      'div',
      {
        class: `progress${a.status === 'sending' ? ' is-live' : ''}`,
        role: 'progressbar',
        'aria-label': t('progressTitle'),
        'aria-valuemin': '0',
        'aria-valuemax': String(p.total),
        'aria-valuenow': String(finished),
        'aria-valuetext': t('progressLabel', { done: p.sent, total: p.total }),
      },
      seg('sent', p.sent),
      seg('blocked', p.blocked),
      seg('failed', p.failed),
      seg('cancelled', p.cancelled),
    ),
    h('p', { class: 'progress-label' }, t('progressLabel', { done: p.sent, total: p.total })),
    h(
      'dl',
      { class: 'progress-counts' },
      count('progressSent', p.sent, 'sent'),
      count('progressPending', p.pending, 'pending'),
      count('progressBlocked', p.blocked, 'blocked', p.blocked ? 'is-bad' : ''),
      count('progressFailed', p.failed, 'failed', p.failed ? 'is-bad' : ''),
      count('progressCancelled', p.cancelled, 'cancelled'),
      count('progressTotal', p.total, 'total'),
    ),
    h('ul', { class: 'progress-facts' }, facts.filter((f) => f && f.childNodes.length)),
  );
}

function formatNumber(n) {
  return intl(Intl.NumberFormat, locale(), { maximumFractionDigits: 1 }).format(n);
}

function renderAlertTexts(a) {
  const block = (texts, testid) =>
    h(
      'div',
      { class: 'alert-texts-grid' },
      LANGUAGES.filter((l) => texts?.[l]).map((l) =>
        h(
          'section',
          { class: 'alert-lang-text', 'data-testid': testid, 'data-lang': l, 'aria-label': languageText(l) },
          h('h4', {}, languageText(l)),
          h('div', { class: 'tg-chat' }, h('div', { class: 'tg-bubble', lang: l, dir: 'auto' }, telegramPreview(texts[l]))),
        ),
      ),
    );
  const missing = LANGUAGES.filter((l) => !a.texts[l]);
  const parts = [];
  if (a.correctionTexts) {
    parts.push(h('h4', { class: 'texts-subtitle' }, t('alertCorrectionTitle')), block(a.correctionTexts, 'alert-correction-view'));
    parts.push(h('details', { class: 'original-texts' }, h('summary', {}, t('alertOriginalTitle')), block(a.texts, 'alert-text-view')));
  } else {
    parts.push(block(a.texts, 'alert-text-view'));
  }
  if (missing.length) parts.push(h('p', { class: 'muted small' }, t('alertTextFallbackNote'), ' ', missing.map((l) => l.toUpperCase()).join(', ')));
  $('alert-texts').replaceChildren(...parts);
}

function audienceSummary(aud) {
  if (aud?.everyone) return [h('p', {}, t('audienceSummaryEveryone'))];
  const rows = [];
  const row = (key, values, fn) => {
    if (values?.length) rows.push(h('div', { class: 'meta-item' }, h('dt', {}, t(key)), h('dd', {}, values.map(fn).join(', '))));
  };
  row('audienceLanguages', aud?.languages, languageText);
  row('audienceCitizenships', aud?.citizenships, (c) => label('cit', c));
  row('audienceTopics', aud?.topics, (tp) => label('topic', tp));
  return [h('dl', { class: 'meta' }, rows), rows.length > 1 ? h('p', { class: 'muted small' }, t('audienceAnd')) : null];
}

function renderAlertAudience(a, cur) {
  const parts = audienceSummary(a.audience);
  if (['draft', 'approved', 'scheduled'].includes(a.status)) {
    const r = cur.audience;
    let text;
    if (!r || r === 'loading') text = t('audienceCounting');
    else if (r.error) text = r.error;
    else text = `${r.recipients} · ${t('audienceFallback', { n: r.fallback })}`;
    parts.push(h('p', { class: 'audience-now', 'data-testid': 'alert-audience-size' }, h('strong', {}, `${t('audienceNow')}: `), text));
  }
  $('alert-audience').replaceChildren(...parts);
}

async function fetchAlertAudience(cur) {
  cur.audience = 'loading';
  const a = cur.data.alert;
  try {
    const r = await api('/alerts/audience', { method: 'POST', body: { audience: a.audience, languages: Object.keys(a.texts) } });
    if (state.alerts.current !== cur) return;
    cur.audience = r;
  } catch (e) {
    if (state.alerts.current !== cur) return;
    cur.audience = { error: errorText(e) };
  }
  if (alertViewVisible(cur)) renderAlert();
}

// ---- Recipients ----------------------------------------------------------

function buildRecipientsFilter() {
  const sel = $('recipients-filter');
  const v = state.alerts.recipients.status;
  sel.replaceChildren(option('', t('recipientsAll'), !v), ...RECIPIENT_STATUSES.map((s) => option(s, label('rstatus', s), v === s)));
}

async function loadRecipients({ quiet = false } = {}) {
  const A = state.alerts;
  const cur = A.current;
  if (!cur) return;
  const R = A.recipients;
  const seq = ++R.seq;
  const status = R.status;
  if (!R.rows) $('recipients-count').textContent = t('loading');
  try {
    const rows = await api(`/alerts/${cur.id}/recipients${status ? `?status=${encodeURIComponent(status)}` : ''}`);
    if (seq !== R.seq || A.current !== cur) return;
    R.rows = rows;
    renderRecipients();
  } catch (e) {
    if (seq !== R.seq) return;
    if (!quiet) showError(e);
  }
}

function renderRecipients() {
  const R = state.alerts.recipients;
  const rows = R.rows ?? [];
  const sig = JSON.stringify([rows, state.lang]);
  if (sig === R.sig) return;
  R.sig = sig;
  $('recipients-count').textContent = rows.length >= RECIPIENTS_MAX ? t('recipientsCountMax', { n: rows.length }) : t('recipientsCount', { n: rows.length });
  $('recipients-body').replaceChildren(
    ...(rows.length
      ? rows.map((r) =>
          h(
            'tr',
            { 'data-testid': 'recipient-row', 'data-status': r.status },
            h('td', {}, r.userId === null ? t('none') : `#${r.userId}`),
            h('td', {}, h('span', { class: 'badge badge-lang', title: languageText(r.language) }, r.language.toUpperCase())),
            h('td', {}, h('span', { class: `badge rstatus rstatus-${r.status}` }, label('rstatus', r.status))),
            h('td', {}, r.sentAt ? h('time', { datetime: r.sentAt }, formatDateTime(r.sentAt)) : t('none')),
            h('td', { class: 'small' }, r.lastError ?? ''),
          ),
        )
      : [h('tr', {}, h('td', { colspan: 5, class: 'muted' }, t('recipientsEmpty')))]),
  );
}

// ---- Editor (new draft, edit, correct) ----------------------------------

function toLocalInput(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

function editorValues(mode, a) {
  if (mode === 'new' || !a) return { texts: {}, audience: { everyone: false, languages: [], citizenships: [], topics: [] }, startAt: '' };
  const aud = a.audience ?? {};
  return {
    texts: { ...(mode === 'correct' ? (a.correctionTexts ?? a.texts) : a.texts) },
    audience: { everyone: !!aud.everyone, languages: [...(aud.languages ?? [])], citizenships: [...(aud.citizenships ?? [])], topics: [...(aud.topics ?? [])] },
    startAt: toLocalInput(a.startAt),
  };
}

function openEditor(mode, a) {
  const A = state.alerts;
  const key = mode === 'new' ? 'new' : `${mode}:${a.id}`;
  const stored = A.drafts.get(key);
  A.editor = {
    mode,
    key,
    id: a?.id ?? null,
    status: a?.status ?? null,
    values: stored ? structuredClone(stored) : editorValues(mode, a),
    audTimer: null,
    audSeq: 0,
    audSig: '',
    aud: null,
    done: false,
  };
  show($('alert-placeholder'), false);
  show($('alert-view'), false);
  renderEditor();
  show($('alert-editor'), true);
  const title = $('alert-editor-title');
  title?.focus({ preventScroll: true });
  if (window.matchMedia('(max-width: 799px)').matches) $('alert-editor').scrollIntoView({ block: 'start' });
  else $('alert-panel').scrollTop = 0;
}

/** Leaves the editor; unsaved text is kept in memory for this session unless it was saved or discarded. */
function closeEditor() {
  const A = state.alerts;
  const ed = A.editor;
  if (ed) {
    clearTimeout(ed.audTimer);
    if (!ed.done) A.drafts.set(ed.key, structuredClone(ed.values));
    A.editor = null;
  }
  $('alert-editor').replaceChildren();
  show($('alert-editor'), false);
}

function filledLanguages(texts) {
  const langs = LANGUAGES.filter((l) => texts[l]?.trim());
  return langs.includes('ru') ? langs : ['ru', ...langs];
}

/** The audience as the API wants it, or null when nothing is chosen. */
function audienceBody(a) {
  if (a.everyone) return { everyone: true };
  const out = {};
  if (a.languages.length) out.languages = [...a.languages];
  if (a.citizenships.length) out.citizenships = [...a.citizenships];
  if (a.topics.length) out.topics = [...a.topics];
  return Object.keys(out).length ? out : null;
}

const EDITOR_TAGS = ['<b>', '<i>', '<u>', '<s>', '<code>', '<pre>', '<a href="https://…">', '<blockquote>'];

function renderEditor() {
  const ed = state.alerts.editor;
  if (!ed) return;
  const form = $('alert-editor');
  const focusedId = form.contains(document.activeElement) ? document.activeElement.id : null;
  const v = ed.values;
  form.dataset.mode = ed.mode;
  if (ed.id) form.dataset.alertId = ed.id;
  else delete form.dataset.alertId;
  const title = ed.mode === 'new' ? t('editorNew') : t(ed.mode === 'edit' ? 'editorEdit' : 'editorCorrect', { id: ed.id });
  const back = ed.mode === 'new' ? '#/alerts' : `#/alerts/${ed.id}`;
  let hint = null;
  if (ed.mode === 'correct') hint = t('editorCorrectHint');
  else if (ed.mode === 'edit' && ed.status === 'approved') hint = t('editorEditApproved');
  else if (ed.mode === 'new') hint = t('editorNewHint');

  const langNav = h(
    'div',
    { class: 'lang-nav', role: 'group', 'aria-label': t('editorLangNav') },
    LANGUAGES.map((l) =>
      h(
        'button',
        { type: 'button', class: 'lang-chip', 'data-lang': l, onclick: () => jumpToLanguage(l) },
        h('span', { 'aria-hidden': 'true' }, l.toUpperCase()),
        h('span', { class: 'visually-hidden' }, label('lang', l)),
        l === 'ru' ? h('span', { class: 'req-mark', 'aria-hidden': 'true' }, '*') : null,
        h('span', { class: 'chip-state' }),
      ),
    ),
  );

  const blocks = LANGUAGES.map((l) => {
    const id = `alert-text-${l}`;
    const ta = h('textarea', {
      id,
      name: `text-${l}`,
      'data-testid': id,
      'data-lang': l,
      rows: l === 'ru' ? 7 : 3,
      lang: l,
      dir: 'auto',
      spellcheck: 'true',
      required: l === 'ru',
      'aria-required': l === 'ru' ? 'true' : null,
      'aria-describedby': `${id}-count ${id}-problems`,
    });
    ta.value = v.texts[l] ?? '';
    return h(
      'div',
      { class: `lang-block${l === 'ru' ? ' is-required' : ''}`, id: `alert-lang-${l}`, 'data-lang': l },
      h(
        'div',
        { class: 'lang-block-head' },
        h(
          'label',
          { for: id },
          languageText(l),
          ' ',
          l === 'ru' ? h('span', { class: 'req' }, `* ${t('required')}`) : h('span', { class: 'opt' }, `(${t('optional')})`),
        ),
        h('span', { class: 'muted small char-count', id: `${id}-count` }),
      ),
      h(
        'div',
        { class: 'lang-block-body' },
        ta,
        h(
          'div',
          { class: 'tg-preview' },
          h('div', { class: 'tg-preview-label', id: `alert-preview-${l}-label` }, t('previewLabel', { lang: label('lang', l) })),
          h('div', { class: 'tg-chat' }, h('div', { class: 'tg-bubble', id: `alert-preview-${l}`, 'data-testid': `alert-preview-${l}`, lang: l, dir: 'auto', role: 'group', 'aria-labelledby': `alert-preview-${l}-label` })),
        ),
      ),
      h('p', { class: 'html-problems', id: `${id}-problems`, 'data-testid': `alert-problems-${l}`, hidden: true }),
    );
  });

  const parts = [
    h('a', { class: 'back-link', href: back }, ed.mode === 'new' ? t('backToAlerts') : t('backToAlert', { id: ed.id })),
    h('header', { class: 'case-head editor-head' }, h('h2', { id: 'alert-editor-title', tabindex: '-1' }, title), hint ? h('p', { class: `case-hint${ed.mode === 'new' ? '' : ' hint-warn'}` }, hint) : null),
    h(
      'section',
      { class: 'case-section', 'aria-labelledby': 'editor-texts-title' },
      h('h3', { id: 'editor-texts-title' }, t('editorTexts')),
      h('p', { class: 'muted small' }, t('editorTextsHint')),
      h('p', { class: 'tag-list small' }, EDITOR_TAGS.map((x) => h('code', {}, x))),
      langNav,
      blocks,
    ),
  ];

  if (ed.mode !== 'correct') {
    const a = v.audience;
    const group = (key, name, values, prefix, text) =>
      h(
        'fieldset',
        { class: 'check-group', 'data-group': name, disabled: a.everyone },
        h('legend', {}, t(key)),
        h(
          'div',
          { class: 'checks' },
          values.map((val) =>
            h(
              'label',
              { class: 'check' },
              h('input', { type: 'checkbox', name, value: val, id: `${prefix}${val}`, 'data-testid': `${prefix}${val}`, checked: a[name].includes(val) }),
              ' ',
              text(val),
            ),
          ),
        ),
      );
    parts.push(
      h(
        'section',
        { class: 'case-section', 'aria-labelledby': 'editor-audience-title' },
        h('h3', { id: 'editor-audience-title' }, t('audienceTitle')),
        h(
          'label',
          { class: 'check check-everyone' },
          h('input', { type: 'checkbox', name: 'everyone', id: 'audience-everyone', 'data-testid': 'audience-everyone', checked: a.everyone }),
          ' ',
          t('audienceEveryone'),
        ),
        h(
          'div',
          { class: 'check-groups' },
          group('audienceLanguages', 'languages', LANGUAGES, 'audience-lang-', languageText),
          group('audienceCitizenships', 'citizenships', CITIZENSHIPS, 'audience-cit-', (c) => label('cit', c)),
          group('audienceTopics', 'topics', ALERT_TOPICS, 'audience-topic-', (tp) => label('topic', tp)),
        ),
        h('p', { class: 'muted small' }, t('audienceAnd')),
        h('output', { class: 'audience-size', id: 'audience-size', 'data-testid': 'audience-size', 'aria-live': 'polite' }),
      ),
    );
    const tz = (() => {
      try {
        return Intl.DateTimeFormat().resolvedOptions().timeZone || '';
      } catch {
        return '';
      }
    })();
    const start = h('input', { type: 'datetime-local', id: 'alert-start', name: 'startAt', 'data-testid': 'alert-start', 'aria-describedby': 'alert-start-hint' });
    start.value = v.startAt;
    parts.push(
      h(
        'section',
        { class: 'case-section' },
        h(
          'div',
          { class: 'field start-field' },
          h('label', { for: 'alert-start' }, t('startLabel')),
          h(
            'div',
            { class: 'inline-row' },
            start,
            h(
              'button',
              {
                type: 'button',
                class: 'btn btn-small btn-ghost',
                onclick: () => {
                  $('alert-start').value = '';
                  ed.values.startAt = '';
                  $('alert-start').focus();
                },
              },
              t('startClear'),
            ),
          ),
          h('p', { class: 'muted small', id: 'alert-start-hint' }, t('startHint', { tz })),
        ),
      ),
    );
  }

  const saveTestid = ed.mode === 'correct' ? 'alert-correct-save' : 'alert-save';
  parts.push(
    h(
      'div',
      { class: 'form-buttons editor-buttons' },
      h('button', { type: 'submit', class: 'btn btn-primary', id: 'alert-save-button', 'data-testid': saveTestid }, t(ed.mode === 'correct' ? 'correctSave' : 'saveDraft')),
      h(
        'a',
        {
          class: 'btn btn-ghost',
          href: back,
          'data-testid': 'alert-editor-cancel',
          onclick: () => {
            ed.done = true;
            state.alerts.drafts.delete(ed.key);
          },
        },
        t('cancel'),
      ),
    ),
  );
  form.replaceChildren(...parts);
  for (const l of LANGUAGES) updateLanguagePreview(l);
  ed.audSig = '';
  renderAudienceSize();
  scheduleAudienceSize(true);
  if (focusedId) $(focusedId)?.focus();
}

function jumpToLanguage(l) {
  const ta = $(`alert-text-${l}`);
  if (!ta) return;
  $(`alert-lang-${l}`).scrollIntoView({ block: 'start', behavior: window.matchMedia('(prefers-reduced-motion: reduce)').matches ? 'auto' : 'smooth' });
  ta.focus({ preventScroll: true });
}

function updateLanguagePreview(l) {
  const ed = state.alerts.editor;
  if (!ed) return;
  const text = ed.values.texts[l] ?? '';
  const box = $(`alert-preview-${l}`);
  if (!box) return;
  const filled = !!text.trim();
  if (filled) box.replaceChildren(telegramPreview(text));
  else box.replaceChildren(h('span', { class: 'tg-empty' }, l === 'ru' ? t('previewEmpty') : t('previewRu')));
  box.classList.toggle('is-empty', !filled);
  $(`alert-lang-${l}`)?.classList.toggle('is-filled', filled);
  const problems = filled ? telegramHtmlProblems(text) : [];
  const p = $(`alert-text-${l}-problems`);
  p.textContent = problems.length ? t('htmlProblem', { p: problems.join('; ') }) : '';
  show(p, problems.length > 0);
  const ta = $(`alert-text-${l}`);
  ta.setAttribute('aria-invalid', problems.length || text.length > ALERT_MAX_TEXT ? 'true' : 'false');
  const count = $(`alert-text-${l}-count`);
  count.textContent = t('charCount', { n: text.length, max: ALERT_MAX_TEXT });
  count.classList.toggle('over', text.length > ALERT_MAX_TEXT);
  const chip = $('alert-editor').querySelector(`.lang-chip[data-lang="${l}"]`);
  if (chip) {
    chip.classList.toggle('is-filled', filled);
    chip.classList.toggle('has-problem', problems.length > 0);
    chip.querySelector('.chip-state').textContent = problems.length ? '⚠' : filled ? '✓' : '';
    chip.setAttribute('aria-label', `${label('lang', l)}: ${filled ? t('filled') : t('empty')}${l === 'ru' ? `, ${t('required')}` : ''}`);
  }
}

function readAudienceFromForm() {
  const form = $('alert-editor');
  const picked = (name) => [...form.querySelectorAll(`input[type="checkbox"][name="${name}"]`)].filter((x) => x.checked).map((x) => x.value);
  return {
    everyone: !!$('audience-everyone')?.checked,
    languages: picked('languages'),
    citizenships: picked('citizenships'),
    topics: picked('topics'),
  };
}

function onEditorInput(e) {
  const ed = state.alerts.editor;
  if (!ed) return;
  const el = e.target;
  if (el.matches('textarea[data-lang]')) {
    ed.values.texts[el.dataset.lang] = el.value;
    updateLanguagePreview(el.dataset.lang);
    scheduleAudienceSize();
  } else if (el.id === 'alert-start') {
    ed.values.startAt = el.value;
  }
}

function onEditorChange(e) {
  const ed = state.alerts.editor;
  if (!ed) return;
  const el = e.target;
  if (el.type === 'checkbox') {
    ed.values.audience = readAudienceFromForm();
    for (const fs of $('alert-editor').querySelectorAll('.check-group')) fs.disabled = ed.values.audience.everyone;
    scheduleAudienceSize();
  } else if (el.id === 'alert-start') {
    ed.values.startAt = el.value;
  }
}

/** Debounced: how many users the chosen audience reaches, and how many get Russian instead. */
function scheduleAudienceSize(immediate = false) {
  const ed = state.alerts.editor;
  if (!ed || ed.mode === 'correct') return;
  const audience = audienceBody(ed.values.audience);
  const languages = filledLanguages(ed.values.texts);
  const sig = JSON.stringify([audience, languages]);
  if (sig === ed.audSig) return;
  ed.audSig = sig;
  clearTimeout(ed.audTimer);
  ed.audSeq++;
  if (!audience) {
    ed.aud = null;
    renderAudienceSize();
    return;
  }
  const out = $('audience-size');
  if (out) {
    out.setAttribute('aria-busy', 'true');
    out.classList.add('is-stale');
  }
  ed.audTimer = setTimeout(() => fetchAudienceSize(ed, audience, languages), immediate ? 0 : 350);
}

async function fetchAudienceSize(ed, audience, languages) {
  const seq = ++ed.audSeq;
  try {
    const r = await api('/alerts/audience', { method: 'POST', body: { audience, languages } });
    if (state.alerts.editor !== ed || seq !== ed.audSeq) return;
    ed.aud = r;
  } catch (e) {
    if (state.alerts.editor !== ed || seq !== ed.audSeq) return;
    ed.aud = { error: errorText(e) };
  }
  renderAudienceSize();
}

function renderAudienceSize() {
  const ed = state.alerts.editor;
  const out = $('audience-size');
  if (!ed || !out) return;
  const audience = audienceBody(ed.values.audience);
  out.classList.remove('is-stale', 'is-error', 'is-none');
  out.removeAttribute('aria-busy');
  delete out.dataset.recipients;
  delete out.dataset.fallback;
  if (!audience) {
    out.classList.add('is-none');
    out.replaceChildren(t('audienceNone'));
    return;
  }
  if (!ed.aud) {
    out.replaceChildren(t('audienceCounting'));
    return;
  }
  if (ed.aud.error) {
    out.classList.add('is-error');
    out.replaceChildren(ed.aud.error);
    return;
  }
  out.dataset.recipients = ed.aud.recipients;
  out.dataset.fallback = ed.aud.fallback;
  out.replaceChildren(
    h('span', { class: 'size-main' }, h('span', { 'aria-hidden': 'true' }, '👥 '), t('audienceSize', { n: ed.aud.recipients })),
    ' ',
    h('span', { class: 'size-fallback' }, t('audienceFallback', { n: ed.aud.fallback })),
  );
}

async function saveEditor(e) {
  e.preventDefault();
  const ed = state.alerts.editor;
  if (!ed) return;
  clearError();
  const texts = {};
  for (const l of LANGUAGES) {
    const v = (ed.values.texts[l] ?? '').trim();
    if (v) texts[l] = v;
  }
  if (!texts.ru) {
    showError(t('errRuRequired'));
    $('alert-text-ru').focus();
    return;
  }
  for (const [l, v] of Object.entries(texts)) {
    if (v.length > ALERT_MAX_TEXT) {
      showError(t('errTooLong', { lang: languageText(l), max: ALERT_MAX_TEXT }));
      $(`alert-text-${l}`).focus();
      return;
    }
    const problems = telegramHtmlProblems(v);
    if (problems.length) {
      showError(t('errHtml', { lang: languageText(l), p: problems.join('; ') }));
      $(`alert-text-${l}`).focus();
      return;
    }
  }
  let audience = null;
  let startAt = null;
  if (ed.mode !== 'correct') {
    audience = audienceBody(ed.values.audience);
    if (!audience) {
      showError(t('errAudience'));
      $('audience-everyone').focus();
      return;
    }
    if (ed.values.startAt) {
      const d = new Date(ed.values.startAt);
      if (Number.isNaN(d.getTime())) {
        showError(t('errStart'));
        $('alert-start').focus();
        return;
      }
      startAt = d.toISOString();
    }
  }
  const A = state.alerts;
  await runAction($('alert-save-button'), async () => {
    let id = ed.id;
    if (ed.mode === 'new') {
      const r = await api('/alerts', { method: 'POST', body: { texts, audience, ...(startAt ? { startAt } : {}) } });
      id = r.alert.id;
      notify(t('alertCreated', { id, n: r.audience.recipients }));
    } else if (ed.mode === 'edit') {
      await api(`/alerts/${id}`, { method: 'PATCH', body: { texts, audience, startAt } });
      notify(t('alertSaved', { id }));
    } else {
      await api(`/alerts/${id}/correct`, { method: 'POST', body: { texts } });
      notify(t('alertCorrected', { n: A.current?.data?.progress.sent ?? 0 }));
    }
    ed.done = true;
    A.drafts.delete(ed.key);
    if (A.current?.id === id) {
      A.current.sig = '';
      A.current.audience = null;
    }
    await loadAlerts({ quiet: true });
    location.hash = `#/alerts/${id}`;
  });
}

function rerenderAlertsPage() {
  const A = state.alerts;
  A.sig = '';
  buildRecipientsFilter();
  if (!state.me) return;
  renderAlertList();
  if (A.editor) renderEditor();
  else if (A.current?.data && alertViewVisible(A.current)) {
    A.current.sig = '';
    A.current.progressSig = '';
    renderAlert();
  } else if (!A.current && state.route.page === 'alerts' && state.route.alertMode === null) {
    $('alert-placeholder').textContent = t(isAlertAuthor() ? 'pickAlertAuthor' : 'pickAlert');
  }
  A.recipients.sig = '';
  if (A.recipients.rows) renderRecipients();
}

// ---------------------------------------------------------------------------
// Flows: Mermaid diagrams, "try this flow", local reload
// ---------------------------------------------------------------------------

/** Local mode (the browser chat and /local routes exist)? Checked once per session. */
function detectLocalMode() {
  if (!state.localCheck) {
    state.localCheck = fetch('/local/info', { cache: 'no-store' })
      .then((r) => r.ok)
      .catch(() => false)
      .then((ok) => {
        state.local = ok;
        show($('flows-reload'), ok);
        return ok;
      });
  }
  return state.localCheck;
}

let mermaidLoading = null;

/** Loads Mermaid (served by us) with a classic script tag, once, when the Flows tab first opens. */
function loadMermaid() {
  if (window.mermaid?.render) return Promise.resolve(window.mermaid);
  if (!mermaidLoading) {
    mermaidLoading = new Promise((resolve, reject) => {
      const s = document.createElement('script');
      s.src = MERMAID_SRC;
      s.async = true;
      s.onload = () => {
        const m = window.mermaid;
        if (!m?.render) {
          reject(new Error('window.mermaid is missing'));
          return;
        }
        m.initialize({
          startOnLoad: false,
          securityLevel: 'strict',
          theme: 'default',
          fontFamily: getComputedStyle(document.body).fontFamily,
          flowchart: { htmlLabels: true, useMaxWidth: true },
        });
        resolve(m);
      };
      s.onerror = () => {
        s.remove();
        reject(new Error(MERMAID_SRC));
      };
      document.head.append(s);
    }).catch((e) => {
      mermaidLoading = null;
      throw e;
    });
  }
  return mermaidLoading;
}

async function loadFlowsPage({ force = false } = {}) {
  const F = state.flows;
  if (F.loaded && !force) {
    renderFlows();
    drawDiagrams();
    return;
  }
  const seq = ++F.seq;
  if (!F.loaded) $('flows-status').textContent = t('flowsLoading');
  try {
    const [list] = await Promise.all([api('/flows'), detectLocalMode()]);
    if (seq !== F.seq || !state.me) return;
    F.items = list;
    F.loaded = true;
    renderFlows();
    await drawDiagrams();
  } catch (e) {
    if (seq !== F.seq) return;
    $('flows-status').textContent = errorText(e);
    throw e;
  }
}

function renderFlows() {
  const F = state.flows;
  const box = $('flow-cards');
  if (!F.loaded) return;
  if (!F.items.length) {
    box.replaceChildren(h('p', { class: 'empty muted' }, t('flowsEmpty')));
    return;
  }
  box.replaceChildren(...F.items.map(flowCard));
  for (const f of F.items) fillDiagram(f);
}

function flowCard(f) {
  const actual = state.flows.actual.has(f.id);
  const item = (key, ...value) => h('div', { class: 'meta-item' }, h('dt', {}, t(key)), h('dd', {}, ...value));
  const titleId = `flow-title-${f.id}`;
  const reviewed = f.reviewedOn?.length ? f.reviewedOn.map((d) => h('time', { datetime: d }, formatDateOnly(d))).flatMap((x, i) => (i ? [', ', x] : [x])) : [h('span', { class: 'muted' }, t('flowNotReviewed'))];
  return h(
    'article',
    { class: 'flow-card', 'data-testid': 'flow-card', 'data-flow-id': f.id, 'aria-labelledby': titleId },
    h(
      'header',
      { class: 'flow-card-head' },
      h('h2', { class: 'flow-title', id: titleId }, f.title),
      state.local
        ? h(
            'a',
            { class: 'btn btn-small', href: `/?flow=${encodeURIComponent(f.id)}`, target: '_blank', rel: 'noopener', 'data-testid': 'flow-try' },
            t('flowTry'),
            h('span', { 'aria-hidden': 'true' }, ' ↗'),
            h('span', { class: 'visually-hidden' }, ` ${t('newTab')}`),
          )
        : null,
    ),
    h(
      'dl',
      { class: 'meta flow-meta' },
      item('flowId', h('code', {}, f.id)),
      item('flowVersion', String(f.version)),
      item('flowNodes', h('span', { 'data-testid': 'flow-nodes' }, String(f.nodes))),
      item('flowReviewed', h('span', { 'data-testid': 'flow-reviewed' }, reviewed)),
    ),
    h(
      'figure',
      { class: 'flow-figure' },
      h('figcaption', { class: 'visually-hidden' }, t('flowDiagramLabel', { title: f.title })),
      h('div', { class: `flow-diagram${actual ? ' is-actual' : ''}`, 'data-testid': 'flow-diagram', 'data-flow-id': f.id, 'data-state': 'loading', tabindex: '0', 'aria-label': t('flowDiagramLabel', { title: f.title }) }),
    ),
    h(
      'div',
      { class: 'flow-tools' },
      h('button', { type: 'button', class: 'btn btn-small btn-ghost', 'aria-pressed': actual ? 'true' : 'false', 'data-testid': 'flow-size', onclick: (e) => toggleFlowSize(f.id, e.currentTarget) }, t('flowActualSize')),
      h('details', { class: 'flow-source' }, h('summary', {}, t('flowSource')), h('pre', { class: 'mermaid-source', lang: 'ru' }, f.mermaid)),
    ),
  );
}

function diagramBox(id) {
  return document.querySelector(`.flow-diagram[data-flow-id="${CSS.escape(id)}"]`);
}

function fillDiagram(f) {
  const box = diagramBox(f.id);
  if (!box) return;
  const entry = state.flows.svgs.get(f.id);
  if (!entry || entry.text !== f.mermaid) {
    box.dataset.state = 'loading';
    box.replaceChildren(h('p', { class: 'muted small diagram-note' }, t('flowsLoadingLib')));
    return;
  }
  if (entry.error) {
    box.dataset.state = 'error';
    box.replaceChildren(h('p', { class: 'diagram-error' }, t('flowRenderFailed', { msg: entry.error })));
    return;
  }
  try {
    box.replaceChildren(svgFromMermaid(entry.svg));
    box.dataset.state = 'ready';
    applyFlowSize(box);
  } catch (e) {
    box.dataset.state = 'error';
    box.replaceChildren(h('p', { class: 'diagram-error' }, t('flowRenderFailed', { msg: e.message })));
  }
}

/**
 * Mermaid's own output (already sanitised by it in strict mode), parsed in an inert
 * document; scripts and event-handler attributes are dropped again before it is used.
 */
function svgFromMermaid(svgText) {
  const doc = new DOMParser().parseFromString(`<!doctype html><body>${svgText}`, 'text/html');
  const svg = doc.body.querySelector('svg');
  if (!svg) throw new Error('no SVG');
  for (const s of svg.querySelectorAll('script')) s.remove();
  for (const el of [svg, ...svg.querySelectorAll('*')]) {
    for (const attr of [...el.attributes]) {
      if (/^on/i.test(attr.name) || (/href$/i.test(attr.name) && /^\s*javascript:/i.test(attr.value))) el.removeAttribute(attr.name);
    }
  }
  const node = document.importNode(svg, true);
  const natural = Number.parseFloat(node.style.maxWidth) || Number.parseFloat(node.getAttribute('viewBox')?.split(/\s+/)[2] ?? '');
  if (natural) node.dataset.naturalWidth = String(natural);
  return node;
}

function applyFlowSize(box) {
  const svg = box.querySelector('svg');
  if (!svg) return;
  const actual = box.classList.contains('is-actual');
  const natural = Number(svg.dataset.naturalWidth) || 0;
  if (actual && natural) {
    svg.style.maxWidth = 'none';
    svg.setAttribute('width', String(natural));
  } else {
    svg.style.maxWidth = natural ? `${natural}px` : '';
    svg.setAttribute('width', '100%');
  }
}

function toggleFlowSize(id, button) {
  const F = state.flows;
  const actual = !F.actual.has(id);
  if (actual) F.actual.add(id);
  else F.actual.delete(id);
  button.setAttribute('aria-pressed', actual ? 'true' : 'false');
  const box = diagramBox(id);
  if (!box) return;
  box.classList.toggle('is-actual', actual);
  applyFlowSize(box);
  // A flowchart starts at its top centre: show that part first.
  box.scrollLeft = actual ? Math.max(0, (box.scrollWidth - box.clientWidth) / 2) : 0;
  box.scrollTop = 0;
}

/** Draws the diagrams not drawn yet (one at a time: Mermaid renders serially). */
async function drawDiagrams() {
  const F = state.flows;
  if (F.drawing) {
    F.redraw = true;
    return;
  }
  const todo = F.items.filter((f) => F.svgs.get(f.id)?.text !== f.mermaid);
  if (!todo.length) {
    $('flows-status').textContent = '';
    return;
  }
  F.drawing = true;
  $('flows-status').textContent = t('flowsLoadingLib');
  try {
    const mermaid = await loadMermaid();
    for (const f of todo) {
      const text = f.mermaid;
      F.renderSeq = (F.renderSeq ?? 0) + 1;
      const id = `mmd-${f.id.replace(/[^a-zA-Z0-9_-]/g, '')}-${F.renderSeq}`;
      let entry;
      try {
        const { svg } = await mermaid.render(id, text);
        entry = { text, svg };
      } catch (e) {
        entry = { text, error: String(e?.message ?? e) };
      } finally {
        // Mermaid leaves its scratch element (or an error drawing) in the body on failure.
        document.getElementById(`d${id}`)?.remove();
      }
      F.svgs.set(f.id, entry);
      fillDiagram(f);
    }
    $('flows-status').textContent = '';
  } catch (e) {
    $('flows-status').textContent = t('flowsLibFailed', { msg: e.message });
    for (const f of todo) {
      const box = diagramBox(f.id);
      if (box && box.dataset.state === 'loading') {
        box.dataset.state = 'error';
        box.replaceChildren(h('p', { class: 'diagram-error' }, t('flowsLibFailed', { msg: e.message })));
      }
    }
  } finally {
    F.drawing = false;
    if (F.redraw) {
      F.redraw = false;
      drawDiagrams();
    }
  }
}

/** Local mode: re-reads flows/ from disk, shows what loaded or where a file is broken, redraws. */
async function reloadFlows(button) {
  const box = $('flows-reload-result');
  await runAction(button, async () => {
    let res;
    try {
      res = await fetch('/local/flows/reload', { method: 'POST', cache: 'no-store' });
    } catch (e) {
      throw new ApiError(0, e?.message || 'network error');
    }
    let data = null;
    try {
      data = await res.json();
    } catch {}
    if (res.status === 404) {
      state.local = false;
      show(button, false);
      throw new ApiError(404, t('flowsReloadUnavailable'));
    }
    if (!res.ok) {
      box.className = 'reload-result reload-error';
      box.replaceChildren(h('strong', {}, t('flowsReloadFailed')), h('pre', { 'data-testid': 'flows-reload-error' }, data?.error ?? `HTTP ${res.status}`));
      show(box, true);
      box.setAttribute('role', 'alert');
      return;
    }
    box.className = 'reload-result reload-ok';
    box.setAttribute('role', 'status');
    box.replaceChildren(h('strong', {}, t('flowsReloaded')), ' ', h('span', {}, (data?.flows ?? []).map((f, i) => [i ? ', ' : '', h('code', {}, f)])));
    show(box, true);
    await loadFlowsPage({ force: true });
  });
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
  $('reply-text').addEventListener('input', onReplyInput);
  $('translate-draft').addEventListener('click', (e) => translateDraft(e.currentTarget));
  $('notify-urgent').addEventListener('click', enableNotifications);
  let searchTimer;
  $('f-q').addEventListener('input', () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(onFilterChange, 350);
  });
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
