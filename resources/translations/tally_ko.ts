<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ko_KR">
    <context>
        <name>tally::ui::AnswerView</name>
        <message>
            <source>Regenerate</source>
            <translation>다시 생성</translation>
        </message>
        <message>
            <source>Copy</source>
            <translation>복사</translation>
        </message>
        <message>
            <source>Delete</source>
            <translation>삭제</translation>
        </message>
        <message>
            <source>first token %1 ms</source>
            <translation>첫 토큰 %1 ms</translation>
        </message>
        <message>
            <source>%1 tok/s</source>
            <translation>%1 토큰/초</translation>
        </message>
        <message numerus="yes">
            <source>%n token(s)</source>
            <translation>
                <numerusform>토큰 %n개</numerusform>
            </translation>
        </message>
        <message>
            <source>stopped</source>
            <translation>중지됨</translation>
        </message>
    </context>
    <context>
        <name>tally::ui::ChartPane</name>
        <message>
            <source>No chart yet</source>
            <translation>아직 차트가 없습니다</translation>
        </message>
        <message>
            <source>Reset view</source>
            <translation>보기 초기화</translation>
        </message>
        <message>
            <source>Undo zoom and pan (wheel zooms, drag pans)</source>
            <translation>확대/이동 되돌리기 (휠로 확대, 드래그로 이동)</translation>
        </message>
        <message>
            <source>Reset chart view</source>
            <translation>차트 보기 초기화</translation>
        </message>
        <message>
            <source>Export…</source>
            <translation>내보내기…</translation>
        </message>
        <message>
            <source>Save the chart as PNG, SVG or PDF</source>
            <translation>차트를 PNG, SVG, PDF로 저장</translation>
        </message>
        <message>
            <source>Export chart</source>
            <translation>차트 내보내기</translation>
        </message>
        <message>
            <source>Export data…</source>
            <translation>데이터 내보내기…</translation>
        </message>
        <message>
            <source>Save the chart's data as an Excel workbook or a CSV file</source>
            <translation>차트 데이터를 Excel 통합 문서나 CSV 파일로 저장</translation>
        </message>
        <message>
            <source>Export failed</source>
            <translation>내보내기 실패</translation>
        </message>
        <message>
            <source>Chart</source>
            <translation>차트</translation>
        </message>
        <message>
            <source>Count</source>
            <translation>개수</translation>
        </message>
        <message>
            <source>Chart: %1</source>
            <translation>차트: %1</translation>
        </message>
        <message>
            <source>Cannot export to %1: use a .png, .svg or .pdf file name</source>
            <translation>%1(으)로 내보낼 수 없습니다. 파일 이름을 .png, .svg, .pdf로 끝내세요</translation>
        </message>
        <message>
            <source>Could not write %1</source>
            <translation>%1에 쓸 수 없습니다</translation>
        </message>
        <message>
            <source>Chart saved to %1</source>
            <translation>차트를 %1에 저장했습니다</translation>
        </message>
        <message>
            <source>Export chart data</source>
            <translation>차트 데이터 내보내기</translation>
        </message>
        <message>
            <source>PNG image (*.png);;SVG drawing (*.svg);;PDF document (*.pdf)</source>
            <translation>PNG 이미지 (*.png);;SVG 그림 (*.svg);;PDF 문서 (*.pdf)</translation>
        </message>
    </context>
    <context>
        <name>tally::ui::ChatInput</name>
        <message>
            <source>Message</source>
            <translation>메시지</translation>
        </message>
        <message>
            <source>Ask about your data… (Enter sends, Shift+Enter for a new line)</source>
            <translation>데이터에 대해 물어보세요… (Enter: 보내기, Shift+Enter: 줄바꿈)</translation>
        </message>
    </context>
    <context>
        <name>tally::ui::ChatPane</name>
        <message>
            <source>Reasoning: low</source>
            <translation>추론: 낮음</translation>
        </message>
        <message>
            <source>Reasoning: medium</source>
            <translation>추론: 보통</translation>
        </message>
        <message>
            <source>Reasoning: high</source>
            <translation>추론: 높음</translation>
        </message>
        <message>
            <source>Reasoning effort</source>
            <translation>추론 수준</translation>
        </message>
        <message>
            <source>How long the model thinks before answering</source>
            <translation>모델이 답하기 전에 생각하는 정도</translation>
        </message>
        <message>
            <source>New chat</source>
            <translation>새 대화</translation>
        </message>
        <message>
            <source>Editing a question: Enter sends it as a new version.</source>
            <translation>질문 편집 중: Enter를 누르면 새 버전으로 보냅니다.</translation>
        </message>
        <message>
            <source>Send</source>
            <translation>보내기</translation>
        </message>
        <message>
            <source>Send message</source>
            <translation>메시지 보내기</translation>
        </message>
        <message>
            <source>Stop</source>
            <translation>중지</translation>
        </message>
        <message>
            <source>Stop generating</source>
            <translation>생성 중지</translation>
        </message>
        <message>
            <source>Stop generating (Esc)</source>
            <translation>생성 중지 (Esc)</translation>
        </message>
        <message>
            <source>Loading the model… Datasets, tables and charts work meanwhile.</source>
            <translation>모델을 불러오는 중… 그동안에도 데이터셋, 표, 차트를 쓸 수 있습니다.</translation>
        </message>
        <message>
            <source>&lt;b&gt;The model could not be loaded.&lt;/b&gt; Check the file in &lt;a href="setup"&gt;Model setup&lt;/a&gt;.</source>
            <translation>&lt;b&gt;모델을 불러오지 못했습니다.&lt;/b&gt; &lt;a href="setup"&gt;모델 설정&lt;/a&gt;에서 파일을 확인하세요.</translation>
        </message>
        <message>
            <source>&lt;b&gt;No model yet.&lt;/b&gt; Tally answers with OpenAI's &lt;b&gt;gpt-oss-20b&lt;/b&gt;, running entirely on this computer.&lt;ol&gt;&lt;li&gt;On any computer with internet access, download gpt-oss-20b as a GGUF file (e.g. &lt;i&gt;gpt-oss-20b-mxfp4.gguf&lt;/i&gt;, about 13 GB, from Hugging Face: ggml-org/gpt-oss-20b-GGUF) or the original Hugging Face folder (openai/gpt-oss-20b).&lt;/li&gt;&lt;li&gt;Copy it to this computer, for example into a &lt;i&gt;Models&lt;/i&gt; folder in your home folder.&lt;/li&gt;&lt;li&gt;Open &lt;a href="setup"&gt;Model setup&lt;/a&gt; (Settings menu) and pick the file or folder.&lt;/li&gt;&lt;/ol&gt;Meanwhile you can import spreadsheets, browse tables and draw charts.</source>
            <translation>&lt;b&gt;아직 모델이 없습니다.&lt;/b&gt; Tally는 이 컴퓨터에서만 실행되는 OpenAI의 &lt;b&gt;gpt-oss-20b&lt;/b&gt;로 답합니다.&lt;ol&gt;&lt;li&gt;인터넷이 되는 컴퓨터에서 gpt-oss-20b를 GGUF 파일(예: &lt;i&gt;gpt-oss-20b-mxfp4.gguf&lt;/i&gt;, 약 13 GB, Hugging Face의 ggml-org/gpt-oss-20b-GGUF)이나 원본 Hugging Face 폴더(openai/gpt-oss-20b)로 내려받으세요.&lt;/li&gt;&lt;li&gt;이 컴퓨터로 복사하세요. 예: 홈 폴더의 &lt;i&gt;Models&lt;/i&gt; 폴더.&lt;/li&gt;&lt;li&gt;&lt;a href="setup"&gt;모델 설정&lt;/a&gt;(설정 메뉴)을 열고 파일이나 폴더를 고르세요.&lt;/li&gt;&lt;/ol&gt;그동안에도 스프레드시트를 가져오고, 표를 살펴보고, 차트를 그릴 수 있습니다.</translation>
        </message>
        <message>
            <source>Conversation</source>
            <translation>대화</translation>
        </message>
        <message>
            <source>The answer failed: %1</source>
            <translation>답변 실패: %1</translation>
        </message>
    </context>
    <context>
        <name>ConversationExport</name>
        <message>
            <source>Question</source>
            <translation>질문</translation>
        </message>
        <message>
            <source>Tool call</source>
            <translation>도구 호출</translation>
        </message>
        <message>
            <source>Answer</source>
            <translation>답변</translation>
        </message>
    </context>
    <context>
        <name>tally::ui::DatasetTableModel</name>
        <message>
            <source>Cannot open the store %1: %2</source>
            <translation>저장소 %1을(를) 열 수 없습니다: %2</translation>
        </message>
        <message>
            <source>No store is open</source>
            <translation>열린 저장소가 없습니다</translation>
        </message>
        <message>
            <source>Dataset %1 does not exist in %2</source>
            <translation>데이터셋 %1이(가) %2에 없습니다</translation>
        </message>
        <message>
            <source>Dataset "%1": %2</source>
            <translation>데이터셋 "%1": %2</translation>
        </message>
        <message>
            <source>(empty)</source>
            <translation>(비어 있음)</translation>
        </message>
        <message>
            <source>%1 — %2 (SQL column %3)</source>
            <translation>%1 — %2 (SQL 열 %3)</translation>
        </message>
    </context>
    <context>
        <name>tally::ui::DocumentPane</name>
        <message>
            <source>Sorted by %1</source>
            <translation>%1 기준 정렬</translation>
        </message>
        <message>
            <source>Export</source>
            <translation>내보내기</translation>
        </message>
        <message>
            <source>Save the rows shown (with the filter and sort applied) as an Excel workbook or a CSV file</source>
            <translation>보이는 행(필터와 정렬 적용)을 Excel 통합 문서나 CSV 파일로 저장</translation>
        </message>
        <message>
            <source>Export to Excel…</source>
            <translation>Excel로 내보내기…</translation>
        </message>
        <message>
            <source>Export to CSV…</source>
            <translation>CSV로 내보내기…</translation>
        </message>
        <message>
            <source>Exporting… %1 of %2 rows</source>
            <translation>내보내는 중… %2행 중 %1행</translation>
        </message>
        <message>
            <source>Exporting… %1 rows</source>
            <translation>내보내는 중… %1행</translation>
        </message>
        <message>
            <source>Export failed</source>
            <translation>내보내기 실패</translation>
        </message>
        <message>
            <source>The SQL that produced these rows</source>
            <translation>이 행들을 만든 SQL</translation>
        </message>
        <message>
            <source>Filter column</source>
            <translation>필터할 열</translation>
        </message>
        <message>
            <source>Filter condition</source>
            <translation>필터 조건</translation>
        </message>
        <message>
            <source>contains</source>
            <translation>포함</translation>
        </message>
        <message>
            <source>SQL WHERE</source>
            <translation>SQL WHERE</translation>
        </message>
        <message>
            <source>Filter value</source>
            <translation>필터 값</translation>
        </message>
        <message>
            <source>Filter</source>
            <translation>필터</translation>
        </message>
        <message>
            <source>Clear</source>
            <translation>지우기</translation>
        </message>
        <message>
            <source>e.g. "units" &gt; 100 AND "region" = '서울'</source>
            <translation>예: "units" &gt; 100 AND "region" = '서울'</translation>
        </message>
        <message>
            <source>Dataset rows</source>
            <translation>데이터셋 행</translation>
        </message>
        <message>
            <source>Select a cell to see its column's statistics.</source>
            <translation>셀을 선택하면 그 열의 통계를 볼 수 있습니다.</translation>
        </message>
        <message>
            <source>%1 — %2 rows</source>
            <translation>%1 — %2행</translation>
        </message>
        <message>
            <source>%1 — %2 of %3 rows (filtered)</source>
            <translation>%1 — %3행 중 %2행 (필터됨)</translation>
        </message>
        <message>
            <source>The tool result is not valid JSON.</source>
            <translation>도구 결과가 올바른 JSON이 아닙니다.</translation>
        </message>
        <message>
            <source>   -- parameters: %1</source>
            <translation>   -- 매개변수: %1</translation>
        </message>
        <message>
            <source>the tool failed</source>
            <translation>도구 실행 실패</translation>
        </message>
        <message>
            <source>Error: %1</source>
            <translation>오류: %1</translation>
        </message>
        <message>
            <source>(no SQL recorded)</source>
            <translation>(기록된 SQL 없음)</translation>
        </message>
        <message>
            <source>Filter rejected: unbalanced parentheses or quotes, a comment, or a second statement</source>
            <translation>필터 거부됨: 괄호나 따옴표의 짝이 맞지 않거나, 주석 또는 두 번째 문장이 있습니다</translation>
        </message>
        <message>
            <source>Filter rejected: %1</source>
            <translation>필터 거부됨: %1</translation>
        </message>
        <message>
            <source>Unknown filter condition %1</source>
            <translation>알 수 없는 필터 조건 %1</translation>
        </message>
        <message>
            <source>Column %1 holds numbers: "%2" is not a number</source>
            <translation>%1 열은 숫자 열입니다: "%2"은(는) 숫자가 아닙니다</translation>
        </message>
        <message>
            <source>Filter failed: %1</source>
            <translation>필터 실패: %1</translation>
        </message>
        <message>
            <source>&lt;b&gt;%1&lt;/b&gt;&lt;br&gt;Computing…</source>
            <translation>&lt;b&gt;%1&lt;/b&gt;&lt;br&gt;계산 중…</translation>
        </message>
        <message>
            <source>export</source>
            <translation>내보내기</translation>
        </message>
        <message>
            <source>Nothing to export: %1</source>
            <translation>내보낼 내용이 없습니다: %1</translation>
        </message>
        <message>
            <source>Exporting to %1…</source>
            <translation>%1(으)로 내보내는 중…</translation>
        </message>
        <message>
            <source>Export to Excel</source>
            <translation>Excel로 내보내기</translation>
        </message>
        <message>
            <source>Export to CSV</source>
            <translation>CSV로 내보내기</translation>
        </message>
        <message>
            <source>true</source>
            <translation>참</translation>
        </message>
        <message>
            <source>false</source>
            <translation>거짓</translation>
        </message>
    </context>
    <context>
        <name>tally::app::EngineWorker</name>
        <message>
            <source>New chat</source>
            <translation>새 대화</translation>
        </message>
        <message>
            <source>Cannot open the store %1: %2</source>
            <translation>저장소 %1을(를) 열 수 없습니다: %2</translation>
        </message>
        <message>
            <source>Loading the model was cancelled.</source>
            <translation>모델 불러오기를 취소했습니다.</translation>
        </message>
        <message>
            <source>Cannot load the model: %1</source>
            <translation>모델을 불러올 수 없습니다: %1</translation>
        </message>
        <message>
            <source>The store is not open.</source>
            <translation>저장소가 열려 있지 않습니다.</translation>
        </message>
        <message>
            <source>Still answering the previous message; stop it or wait.</source>
            <translation>아직 이전 메시지에 답하는 중입니다. 중지하거나 기다려 주세요.</translation>
        </message>
        <message>
            <source>Cannot create a conversation: %1</source>
            <translation>대화를 만들 수 없습니다: %1</translation>
        </message>
        <message>
            <source>Cannot store the message: %1</source>
            <translation>메시지를 저장할 수 없습니다: %1</translation>
        </message>
        <message>
            <source>The message to edit no longer exists.</source>
            <translation>편집할 메시지가 더 이상 없습니다.</translation>
        </message>
        <message>
            <source>No model is loaded. Open Settings to choose gpt-oss-20b (a GGUF file or a Hugging Face folder); datasets, tables and charts work without one.</source>
            <translation>불러온 모델이 없습니다. 설정에서 gpt-oss-20b(GGUF 파일 또는 Hugging Face 폴더)를 고르세요. 모델 없이도 데이터셋, 표, 차트는 쓸 수 있습니다.</translation>
        </message>
        <message>
            <source>I stopped after {steps} tool calls without reaching an answer. Ask a narrower question, or say "continue" to let me go on.</source>
            <translation>도구를 {steps}번 호출했지만 답에 이르지 못해 멈췄습니다. 질문을 좁혀 주시거나 "계속"이라고 말씀해 주세요.</translation>
        </message>
        <message>
            <source>The model ended its reply without an answer. Try again, or rephrase the question.</source>
            <translation>모델이 답 없이 응답을 끝냈습니다. 다시 시도하거나 질문을 바꿔 보세요.</translation>
        </message>
    </context>
    <context>
        <name>tally::ui::ImportDialog</name>
        <message>
            <source>comma (,)</source>
            <translation>쉼표 (,)</translation>
        </message>
        <message>
            <source>semicolon (;)</source>
            <translation>세미콜론 (;)</translation>
        </message>
        <message>
            <source>tab</source>
            <translation>탭</translation>
        </message>
        <message>
            <source>pipe (|)</source>
            <translation>세로 막대 (|)</translation>
        </message>
        <message numerus="yes">
            <source>Imported %n row(s) into dataset "%1".</source>
            <translation>
                <numerusform>데이터셋 "%1"에 %n행을 가져왔습니다.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n row(s) had the wrong number of fields (missing fields were left empty, extra fields dropped):</source>
            <translation>
                <numerusform>%n행의 필드 수가 맞지 않았습니다 (빠진 필드는 비워 두고, 남는 필드는 버렸습니다):</numerusform>
            </translation>
        </message>
        <message>
            <source>  line %1: %2 fields, expected %3</source>
            <translation>  %1번째 줄: 필드 %2개, 예상 %3개</translation>
        </message>
        <message>
            <source>  … and %1 more</source>
            <translation>  … 외 %1개</translation>
        </message>
        <message numerus="yes">
            <source>%n cell(s) did not read as their column's type and were stored empty:</source>
            <translation>
                <numerusform>%n개 셀이 열 형식으로 읽히지 않아 비워 두었습니다:</numerusform>
            </translation>
        </message>
        <message>
            <source>  line %1, column %2: "%3"</source>
            <translation>  %1번째 줄, %2 열: "%3"</translation>
        </message>
        <message>
            <source>Import %1</source>
            <translation>%1 가져오기</translation>
        </message>
        <message>
            <source>File:</source>
            <translation>파일:</translation>
        </message>
        <message>
            <source>Detect automatically</source>
            <translation>자동 감지</translation>
        </message>
        <message>
            <source>Encoding</source>
            <translation>인코딩</translation>
        </message>
        <message>
            <source>&amp;Encoding:</source>
            <translation>인코딩(&amp;E):</translation>
        </message>
        <message>
            <source>Delimiter</source>
            <translation>구분자</translation>
        </message>
        <message>
            <source>&amp;Delimiter:</source>
            <translation>구분자(&amp;D):</translation>
        </message>
        <message>
            <source>First row is the header</source>
            <translation>첫 행이 머리글</translation>
        </message>
        <message>
            <source>No header row</source>
            <translation>머리글 행 없음</translation>
        </message>
        <message>
            <source>Header row</source>
            <translation>머리글 행</translation>
        </message>
        <message>
            <source>&amp;Header:</source>
            <translation>머리글(&amp;H):</translation>
        </message>
        <message>
            <source>Dataset name</source>
            <translation>데이터셋 이름</translation>
        </message>
        <message>
            <source>Dataset &amp;name:</source>
            <translation>데이터셋 이름(&amp;N):</translation>
        </message>
        <message>
            <source>Detected:</source>
            <translation>감지됨:</translation>
        </message>
        <message>
            <source>Preview of the first rows</source>
            <translation>처음 몇 행 미리 보기</translation>
        </message>
        <message>
            <source>Column types</source>
            <translation>열 형식</translation>
        </message>
        <message>
            <source>Column</source>
            <translation>열</translation>
        </message>
        <message>
            <source>Type</source>
            <translation>형식</translation>
        </message>
        <message>
            <source>&amp;Open existing dataset</source>
            <translation>기존 데이터셋 열기(&amp;O)</translation>
        </message>
        <message>
            <source>&amp;Import</source>
            <translation>가져오기(&amp;I)</translation>
        </message>
        <message>
            <source>Cancel</source>
            <translation>취소</translation>
        </message>
        <message>
            <source>Cannot read this file: %1</source>
            <translation>이 파일을 읽을 수 없습니다: %1</translation>
        </message>
        <message>
            <source>%1 · %2 · %3</source>
            <translation>%1 · %2 · %3</translation>
        </message>
        <message>
            <source>header row</source>
            <translation>머리글 행</translation>
        </message>
        <message>
            <source>no header row</source>
            <translation>머리글 행 없음</translation>
        </message>
        <message numerus="yes">
            <source>Showing all %n row(s).</source>
            <translation>
                <numerusform>전체 %n행을 표시합니다.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>Showing the first %n row(s).</source>
            <translation>
                <numerusform>처음 %n행을 표시합니다.</numerusform>
            </translation>
        </message>
        <message>
            <source>Column %1: inferred type %2</source>
            <translation>%1 열: 추정 형식 %2</translation>
        </message>
        <message>
            <source>This file was imported before as "%1". Open that dataset, or import it again as a copy.</source>
            <translation>이 파일은 이미 "%1"(으)로 가져왔습니다. 그 데이터셋을 열거나 사본으로 다시 가져오세요.</translation>
        </message>
        <message>
            <source>Import &amp;again</source>
            <translation>다시 가져오기(&amp;A)</translation>
        </message>
        <message>
            <source>Whole number</source>
            <translation>정수</translation>
        </message>
        <message>
            <source>Decimal number</source>
            <translation>소수</translation>
        </message>
        <message>
            <source>Percentage</source>
            <translation>백분율</translation>
        </message>
        <message>
            <source>Currency</source>
            <translation>통화</translation>
        </message>
        <message>
            <source>Yes/no</source>
            <translation>예/아니요</translation>
        </message>
        <message>
            <source>Date</source>
            <translation>날짜</translation>
        </message>
        <message>
            <source>Month</source>
            <translation>월</translation>
        </message>
        <message>
            <source>Date and time</source>
            <translation>날짜와 시간</translation>
        </message>
        <message>
            <source>Text</source>
            <translation>텍스트</translation>
        </message>
        <message>
            <source>Type of column %1</source>
            <translation>%1 열의 형식</translation>
        </message>
        <message>
            <source>%1 (detected)</source>
            <translation>%1 (감지됨)</translation>
        </message>
        <message>
            <source>Importing…</source>
            <translation>가져오는 중…</translation>
        </message>
        <message>
            <source>Cannot open the store: %1</source>
            <translation>저장소를 열 수 없습니다: %1</translation>
        </message>
        <message>
            <source>Imported %1 rows.</source>
            <translation>%1행을 가져왔습니다.</translation>
        </message>
        <message>
            <source>This file was imported before as "%1".</source>
            <translation>이 파일은 이미 "%1"(으)로 가져왔습니다.</translation>
        </message>
        <message>
            <source>Import cancelled; nothing was written.</source>
            <translation>가져오기를 취소했습니다. 아무것도 기록하지 않았습니다.</translation>
        </message>
        <message>
            <source>&amp;Open dataset</source>
            <translation>데이터셋 열기(&amp;O)</translation>
        </message>
        <message>
            <source>Close</source>
            <translation>닫기</translation>
        </message>
        <message>
            <source>The import failed:
%1</source>
            <translation>가져오기 실패:
%1</translation>
        </message>
        <message>
            <source>The import failed; nothing was written.</source>
            <translation>가져오기에 실패했습니다. 아무것도 기록하지 않았습니다.</translation>
        </message>
        <message>
            <source>Cancelling…</source>
            <translation>취소하는 중…</translation>
        </message>
        <message>
            <source>"%1" is not a cell range: write it like A3:H200.</source>
            <translation>"%1"은(는) 셀 범위가 아닙니다. A3:H200처럼 쓰세요.</translation>
        </message>
        <message>
            <source>Cannot read this workbook: %1</source>
            <translation>이 통합 문서를 읽을 수 없습니다: %1</translation>
        </message>
        <message>
            <source>sheet %1 · header in row %2 · cells %3</source>
            <translation>시트 %1 · 머리글 %2행 · 셀 %3</translation>
        </message>
        <message>
            <source>sheet %1 · no header row · cells %2</source>
            <translation>시트 %1 · 머리글 행 없음 · 셀 %2</translation>
        </message>
        <message>
            <source>Check the sheets to import.</source>
            <translation>가져올 시트를 체크하세요.</translation>
        </message>
        <message numerus="yes">
            <source>Showing the first %n row(s) of the sheet.</source>
            <translation>
                <numerusform>시트의 처음 %n개 행을 보여 줍니다.</numerusform>
            </translation>
        </message>
        <message>
            <source>Sheets to import: %1</source>
            <translation>가져올 시트: %1개</translation>
        </message>
        <message>
            <source>%1 - %2</source>
            <translation>%1 - %2</translation>
        </message>
        <message>
            <source>Sheet %1: %2</source>
            <translation>시트 %1: %2</translation>
        </message>
        <message>
            <source>Sheet %1:</source>
            <translation>시트 %1:</translation>
        </message>
        <message>
            <source>Sheet %1 was imported before as "%2".</source>
            <translation>시트 %1은(는) 이전에 "%2"(으)로 가져왔습니다.</translation>
        </message>
        <message>
            <source>Import cancelled; the sheet being imported was not written.</source>
            <translation>가져오기를 취소했습니다. 가져오던 시트는 기록하지 않았습니다.</translation>
        </message>
        <message numerus="yes">
            <source>Imported %1 rows from %n sheet(s).</source>
            <translation>
                <numerusform>시트 %n개에서 %1개 행을 가져왔습니다.</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>tally::ui::MainWindow</name>
        <message>
            <source>Tally</source>
            <translation>Tally</translation>
        </message>
        <message>
            <source>Document pane</source>
            <translation>문서 창</translation>
        </message>
        <message>
            <source>Chart pane</source>
            <translation>차트 창</translation>
        </message>
        <message>
            <source>Sidebar</source>
            <translation>사이드바</translation>
        </message>
        <message>
            <source>Chat</source>
            <translation>채팅</translation>
        </message>
        <message>
            <source>Model loading progress</source>
            <translation>모델 불러오기 진행률</translation>
        </message>
        <message>
            <source>Cancel</source>
            <translation>취소</translation>
        </message>
        <message>
            <source>Cancel model loading</source>
            <translation>모델 불러오기 취소</translation>
        </message>
        <message>
            <source>No model</source>
            <translation>모델 없음</translation>
        </message>
        <message>
            <source>&amp;File</source>
            <translation>파일(&amp;F)</translation>
        </message>
        <message>
            <source>&amp;New chat</source>
            <translation>새 대화(&amp;N)</translation>
        </message>
        <message>
            <source>&amp;Import…</source>
            <translation>가져오기(&amp;I)…</translation>
        </message>
        <message>
            <source>Import a spreadsheet</source>
            <translation>스프레드시트 가져오기</translation>
        </message>
        <message>
            <source>Spreadsheets (*.csv *.tsv *.txt *.xlsx *.xlsm *.xls);;Excel workbooks (*.xlsx *.xlsm *.xls);;CSV files (*.csv *.tsv *.txt);;All files (*)</source>
            <translation>스프레드시트 (*.csv *.tsv *.txt *.xlsx *.xlsm *.xls);;Excel 통합 문서 (*.xlsx *.xlsm *.xls);;CSV 파일 (*.csv *.tsv *.txt);;모든 파일 (*)</translation>
        </message>
        <message>
            <source>&amp;Export conversation to Markdown…</source>
            <translation>대화를 Markdown으로 내보내기(&amp;E)…</translation>
        </message>
        <message>
            <source>Export conversation</source>
            <translation>대화 내보내기</translation>
        </message>
        <message>
            <source>Markdown (*.md)</source>
            <translation>Markdown (*.md)</translation>
        </message>
        <message>
            <source>Export failed</source>
            <translation>내보내기 실패</translation>
        </message>
        <message>
            <source>Could not write %1.</source>
            <translation>%1에 쓸 수 없습니다.</translation>
        </message>
        <message>
            <source>Export &amp;chart…</source>
            <translation>차트 내보내기(&amp;C)…</translation>
        </message>
        <message>
            <source>Export chart</source>
            <translation>차트 내보내기</translation>
        </message>
        <message>
            <source>PNG image (*.png);;SVG image (*.svg);;PDF (*.pdf)</source>
            <translation>PNG 이미지 (*.png);;SVG 이미지 (*.svg);;PDF (*.pdf)</translation>
        </message>
        <message>
            <source>&amp;Quit</source>
            <translation>끝내기(&amp;Q)</translation>
        </message>
        <message>
            <source>&amp;View</source>
            <translation>보기(&amp;V)</translation>
        </message>
        <message>
            <source>&amp;Sidebar</source>
            <translation>사이드바(&amp;S)</translation>
        </message>
        <message>
            <source>Ctrl+1</source>
            <translation>Ctrl+1</translation>
        </message>
        <message>
            <source>&amp;Document pane</source>
            <translation>문서 창(&amp;D)</translation>
        </message>
        <message>
            <source>Ctrl+2</source>
            <translation>Ctrl+2</translation>
        </message>
        <message>
            <source>C&amp;hart pane</source>
            <translation>차트 창(&amp;H)</translation>
        </message>
        <message>
            <source>Ctrl+3</source>
            <translation>Ctrl+3</translation>
        </message>
        <message>
            <source>&amp;Search conversations</source>
            <translation>대화 검색(&amp;S)</translation>
        </message>
        <message>
            <source>Focus the &amp;message box</source>
            <translation>메시지 입력란으로 이동(&amp;M)</translation>
        </message>
        <message>
            <source>Ctrl+L</source>
            <translation>Ctrl+L</translation>
        </message>
        <message>
            <source>&amp;Settings</source>
            <translation>설정(&amp;S)</translation>
        </message>
        <message>
            <source>&amp;Model setup…</source>
            <translation>모델 설정(&amp;M)…</translation>
        </message>
        <message>
            <source>&amp;Preferences…</source>
            <translation>환경 설정(&amp;P)…</translation>
        </message>
        <message>
            <source>&amp;Help</source>
            <translation>도움말(&amp;H)</translation>
        </message>
        <message>
            <source>&amp;Keyboard shortcuts</source>
            <translation>단축키(&amp;K)</translation>
        </message>
        <message>
            <source>Keyboard shortcuts</source>
            <translation>단축키</translation>
        </message>
        <message>
            <source>Enter: send
Shift+Enter: new line
Esc: stop the answer
Ctrl+N: new chat
Ctrl+O: import a spreadsheet
Ctrl+F: search conversations
Ctrl+1 / 2 / 3: show or hide the sidebar, document pane, chart pane</source>
            <translation>Enter: 보내기
Shift+Enter: 줄바꿈
Esc: 답변 중지
Ctrl+N: 새 대화
Ctrl+O: 스프레드시트 가져오기
Ctrl+F: 대화 검색
Ctrl+1 / 2 / 3: 사이드바, 문서 창, 차트 창 보이기/숨기기</translation>
        </message>
        <message>
            <source>&amp;About Tally</source>
            <translation>Tally 정보(&amp;A)</translation>
        </message>
        <message>
            <source>About Tally</source>
            <translation>Tally 정보</translation>
        </message>
        <message>
            <source>Tally: a private copilot for analysts. Your data and the model stay on this computer; Tally has no network code.</source>
            <translation>Tally: 분석가를 위한 개인용 코파일럿. 데이터와 모델은 이 컴퓨터에만 있으며, Tally에는 네트워크 코드가 없습니다.</translation>
        </message>
        <message>
            <source>Could not open the sample dataset: %1</source>
            <translation>예제 데이터셋을 열 수 없습니다: %1</translation>
        </message>
        <message>
            <source>Cannot draw the chart: %1</source>
            <translation>차트를 그릴 수 없습니다: %1</translation>
        </message>
        <message>
            <source>Language</source>
            <translation>언어</translation>
        </message>
        <message>
            <source>The new language applies the next time Tally starts.</source>
            <translation>새 언어는 Tally를 다음에 시작할 때 적용됩니다.</translation>
        </message>
        <message>
            <source>Run a tool?</source>
            <translation>도구를 실행할까요?</translation>
        </message>
        <message>
            <source>The model wants to run %1 with:
%2</source>
            <translation>모델이 다음 인수로 %1을(를) 실행하려고 합니다:
%2</translation>
        </message>
        <message>
            <source>Loading %1…</source>
            <translation>%1 불러오는 중…</translation>
        </message>
    </context>
    <context>
        <name>tally::ui::ModelSetupDialog</name>
        <message numerus="yes">
            <source>CPU (%n thread(s))</source>
            <translation>
                <numerusform>CPU (스레드 %n개)</numerusform>
            </translation>
        </message>
        <message>
            <source>NVIDIA GPU (CUDA)</source>
            <translation>NVIDIA GPU (CUDA)</translation>
        </message>
        <message>
            <source>GPU render device (Vulkan)</source>
            <translation>GPU 렌더 장치 (Vulkan)</translation>
        </message>
        <message>
            <source>Memory: %1 GiB</source>
            <translation>메모리: %1 GiB</translation>
        </message>
        <message>
            <source>Model setup</source>
            <translation>모델 설정</translation>
        </message>
        <message>
            <source>Tally runs OpenAI's gpt-oss-20b on this computer. Pick the model as a GGUF file (e.g. gpt-oss-20b-mxfp4.gguf) or as the Hugging Face folder (openai/gpt-oss-20b) that holds config.json and the .safetensors files. Nothing is downloaded.</source>
            <translation>Tally는 OpenAI의 gpt-oss-20b를 이 컴퓨터에서 실행합니다. 모델을 GGUF 파일(예: gpt-oss-20b-mxfp4.gguf)이나 config.json과 .safetensors 파일이 있는 Hugging Face 폴더(openai/gpt-oss-20b)로 고르세요. 아무것도 내려받지 않습니다.</translation>
        </message>
        <message>
            <source>Model file or folder</source>
            <translation>모델 파일 또는 폴더</translation>
        </message>
        <message>
            <source>File…</source>
            <translation>파일…</translation>
        </message>
        <message>
            <source>Folder…</source>
            <translation>폴더…</translation>
        </message>
        <message>
            <source>Model:</source>
            <translation>모델:</translation>
        </message>
        <message>
            <source> tokens</source>
            <translation> 토큰</translation>
        </message>
        <message>
            <source>Context size</source>
            <translation>컨텍스트 크기</translation>
        </message>
        <message>
            <source>Context size:</source>
            <translation>컨텍스트 크기:</translation>
        </message>
        <message>
            <source>Detected:</source>
            <translation>감지됨:</translation>
        </message>
        <message>
            <source>Needs:</source>
            <translation>필요:</translation>
        </message>
        <message>
            <source>Choose the model file</source>
            <translation>모델 파일 고르기</translation>
        </message>
        <message>
            <source>GGUF models (*.gguf);;All files (*)</source>
            <translation>GGUF 모델 (*.gguf);;모든 파일 (*)</translation>
        </message>
        <message>
            <source>Choose the model folder</source>
            <translation>모델 폴더 고르기</translation>
        </message>
        <message>
            <source>Pick a model to see how much memory it needs.</source>
            <translation>모델을 고르면 필요한 메모리를 보여 줍니다.</translation>
        </message>
        <message>
            <source>Cannot read the model: %1</source>
            <translation>모델을 읽을 수 없습니다: %1</translation>
        </message>
        <message>
            <source>about %1 GiB (weights %2, cache %3, working memory %4)</source>
            <translation>약 %1 GiB (가중치 %2, 캐시 %3, 작업 메모리 %4)</translation>
        </message>
        <message>
            <source>Fits in this computer's memory.</source>
            <translation>이 컴퓨터의 메모리에 들어갑니다.</translation>
        </message>
        <message>
            <source>May not fit: this computer has %1 GiB.</source>
            <translation>메모리가 부족할 수 있습니다: 이 컴퓨터의 메모리는 %1 GiB입니다.</translation>
        </message>
    </context>
    <context>
        <name>QObject</name>
        <message>
            <source>Cannot read the demo script %1</source>
            <translation>데모 스크립트 %1을(를) 읽을 수 없습니다</translation>
        </message>
        <message>
            <source>Tally</source>
            <translation>Tally</translation>
        </message>
        <message>
            <source>No home folder is known, so Tally has nowhere to keep your data. Start it with --profile DIR.</source>
            <translation>홈 폴더를 알 수 없어 데이터를 보관할 곳이 없습니다. --profile DIR 옵션으로 시작하세요.</translation>
        </message>
        <message>
            <source>Cannot open the store %1: %2</source>
            <translation>저장소 %1을(를) 열 수 없습니다: %2</translation>
        </message>
    </context>
    <context>
        <name>tally::ui::SettingsDialog</name>
        <message>
            <source>Settings</source>
            <translation>설정</translation>
        </message>
        <message>
            <source>(none)</source>
            <translation>(없음)</translation>
        </message>
        <message>
            <source>Model setup…</source>
            <translation>모델 설정…</translation>
        </message>
        <message>
            <source>Model:</source>
            <translation>모델:</translation>
        </message>
        <message>
            <source>Automatic</source>
            <translation>자동</translation>
        </message>
        <message>
            <source>CPU</source>
            <translation>CPU</translation>
        </message>
        <message>
            <source>CUDA (NVIDIA)</source>
            <translation>CUDA (NVIDIA)</translation>
        </message>
        <message>
            <source>Vulkan</source>
            <translation>Vulkan</translation>
        </message>
        <message>
            <source>Backend:</source>
            <translation>백엔드:</translation>
        </message>
        <message>
            <source>all cores</source>
            <translation>모든 코어</translation>
        </message>
        <message>
            <source>CPU threads:</source>
            <translation>CPU 스레드:</translation>
        </message>
        <message>
            <source> tokens</source>
            <translation> 토큰</translation>
        </message>
        <message>
            <source>Context size:</source>
            <translation>컨텍스트 크기:</translation>
        </message>
        <message>
            <source>Ask before the model runs a tool</source>
            <translation>모델이 도구를 실행하기 전에 묻기</translation>
        </message>
        <message>
            <source>Tool calls:</source>
            <translation>도구 호출:</translation>
        </message>
        <message>
            <source>System language</source>
            <translation>시스템 언어</translation>
        </message>
        <message>
            <source>Language (after restart):</source>
            <translation>언어 (다시 시작 후 적용):</translation>
        </message>
        <message>
            <source>low</source>
            <translation>낮음</translation>
        </message>
        <message>
            <source>medium</source>
            <translation>보통</translation>
        </message>
        <message>
            <source>high</source>
            <translation>높음</translation>
        </message>
        <message>
            <source>Default reasoning effort:</source>
            <translation>기본 추론 수준:</translation>
        </message>
    </context>
    <context>
        <name>tally::ui::Sidebar</name>
        <message>
            <source>Search conversations (Ctrl+F)</source>
            <translation>대화 검색 (Ctrl+F)</translation>
        </message>
        <message>
            <source>Search conversations</source>
            <translation>대화 검색</translation>
        </message>
        <message>
            <source>Conversations</source>
            <translation>대화</translation>
        </message>
        <message>
            <source>Datasets</source>
            <translation>데이터셋</translation>
        </message>
        <message>
            <source>Documents</source>
            <translation>문서</translation>
        </message>
        <message numerus="yes">
            <source>%1 (%n row(s))</source>
            <translation>
                <numerusform>%1 (%n행)</numerusform>
            </translation>
        </message>
        <message>
            <source>Untitled</source>
            <translation>제목 없음</translation>
        </message>
        <message>
            <source>Rename conversation</source>
            <translation>대화 이름 바꾸기</translation>
        </message>
        <message>
            <source>Title:</source>
            <translation>제목:</translation>
        </message>
        <message>
            <source>Delete conversation</source>
            <translation>대화 삭제</translation>
        </message>
        <message>
            <source>Delete this conversation and all its messages?</source>
            <translation>이 대화와 모든 메시지를 삭제할까요?</translation>
        </message>
        <message>
            <source>Rename…</source>
            <translation>이름 바꾸기…</translation>
        </message>
        <message>
            <source>Delete</source>
            <translation>삭제</translation>
        </message>
    </context>
    <context>
        <name>tally::ui::TableExport</name>
        <message>
            <source>Export cancelled; %1 was not written.</source>
            <translation>내보내기를 취소했습니다. %1 파일은 만들지 않았습니다.</translation>
        </message>
        <message>
            <source>Exported %1 rows to %2.</source>
            <translation>%1개 행을 %2(으)로 내보냈습니다.</translation>
        </message>
        <message>
            <source>Excel holds %1 rows a sheet, so the rows go on over %2 sheets.</source>
            <translation>Excel 시트 하나에는 %1행까지 들어가므로 %2개 시트에 나누어 담았습니다.</translation>
        </message>
        <message>
            <source>Excel workbook (*.xlsx)</source>
            <translation>Excel 통합 문서 (*.xlsx)</translation>
        </message>
        <message>
            <source>CSV, UTF-8 for Excel (*.csv)</source>
            <translation>CSV, Excel용 UTF-8 (*.csv)</translation>
        </message>
    </context>
    <context>
        <name>tally::ui::ThinkingView</name>
        <message>
            <source>Show or hide the model's reasoning</source>
            <translation>모델의 추론 보이기/숨기기</translation>
        </message>
        <message>
            <source>Thinking…</source>
            <translation>생각하는 중…</translation>
        </message>
        <message>
            <source>Thinking (%1 s)</source>
            <translation>생각함 (%1초)</translation>
        </message>
        <message>
            <source>Thinking</source>
            <translation>생각함</translation>
        </message>
    </context>
    <context>
        <name>tally::ui::ToolCard</name>
        <message>
            <source>Tool: %1</source>
            <translation>도구: %1</translation>
        </message>
        <message>
            <source>running…</source>
            <translation>실행 중…</translation>
        </message>
        <message>
            <source>Tool result</source>
            <translation>도구 결과</translation>
        </message>
        <message>
            <source>Show in document pane</source>
            <translation>문서 창에 보기</translation>
        </message>
        <message>
            <source>Show chart</source>
            <translation>차트 보기</translation>
        </message>
        <message>
            <source>Result of %1</source>
            <translation>%1 결과</translation>
        </message>
        <message>
            <source>error: %1</source>
            <translation>오류: %1</translation>
        </message>
        <message>
            <source>done</source>
            <translation>완료</translation>
        </message>
        <message>
            <source>Field</source>
            <translation>항목</translation>
        </message>
        <message>
            <source>Value</source>
            <translation>값</translation>
        </message>
        <message>
            <source>%1 rows (first %2 shown)</source>
            <translation>%1행 (처음 %2행 표시)</translation>
        </message>
        <message numerus="yes">
            <source>%n row(s)</source>
            <translation>
                <numerusform>%n행</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>tally::ui::UserMessageView</name>
        <message>
            <source>Edit</source>
            <translation>편집</translation>
        </message>
        <message>
            <source>Copy</source>
            <translation>복사</translation>
        </message>
        <message>
            <source>Delete</source>
            <translation>삭제</translation>
        </message>
        <message>
            <source>version %1/%2</source>
            <extracomment>Which version of an edited question is shown, e.g. "version 2/3"</extracomment>
            <translation>버전 %1/%2</translation>
        </message>
    </context>
    <context>
        <name>tally::ui::WorkbookSheetPicker</name>
        <message>
            <source>Sheets</source>
            <translation>시트</translation>
        </message>
        <message>
            <source>Each checked sheet becomes a dataset; the selected sheet is shown below</source>
            <translation>체크한 시트마다 데이터셋이 하나씩 만들어지고, 선택한 시트는 아래에 미리 보입니다</translation>
        </message>
        <message>
            <source>&amp;Sheets:</source>
            <translation>시트(&amp;S):</translation>
        </message>
        <message>
            <source>Header row</source>
            <translation>머리글 행</translation>
        </message>
        <message>
            <source>Detect</source>
            <translation>자동 감지</translation>
        </message>
        <message>
            <source>The sheet row that holds the column names (rows above it are skipped)</source>
            <translation>열 이름이 있는 시트 행 (그 위의 행은 건너뜁니다)</translation>
        </message>
        <message>
            <source>Header &amp;row:</source>
            <translation>머리글 행(&amp;R):</translation>
        </message>
        <message>
            <source>Cell range</source>
            <translation>셀 범위</translation>
        </message>
        <message>
            <source>e.g. A3:H200 (empty: the whole sheet)</source>
            <translation>예: A3:H200 (비우면 시트 전체)</translation>
        </message>
        <message>
            <source>Cell r&amp;ange:</source>
            <translation>셀 범위(&amp;A):</translation>
        </message>
        <message>
            <source>%1 (chart)</source>
            <translation>%1 (차트)</translation>
        </message>
        <message>
            <source>%1 (hidden)</source>
            <translation>%1 (숨김)</translation>
        </message>
        <message>
            <source>%1 × %2</source>
            <translation>%1 × %2</translation>
        </message>
        <message>
            <source>Detect (row %1)</source>
            <translation>자동 감지 (%1행)</translation>
        </message>
    </context>
</TS>
