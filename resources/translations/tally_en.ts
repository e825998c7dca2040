<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
    <context>
        <name>tally::ui::AnswerView</name>
        <message numerus="yes">
            <source>%n token(s)</source>
            <translation>
                <numerusform>%n token</numerusform>
                <numerusform>%n tokens</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>tally::ui::ImportDialog</name>
        <message numerus="yes">
            <source>Imported %n row(s) into dataset "%1".</source>
            <translation>
                <numerusform>Imported %n row into dataset "%1".</numerusform>
                <numerusform>Imported %n rows into dataset "%1".</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n row(s) had the wrong number of fields (missing fields were left empty, extra fields dropped):</source>
            <translation>
                <numerusform>%n row had the wrong number of fields (missing fields were left empty, extra fields dropped):</numerusform>
                <numerusform>%n rows had the wrong number of fields (missing fields were left empty, extra fields dropped):</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n cell(s) did not read as their column's type and were stored empty:</source>
            <translation>
                <numerusform>%n cell did not read as its column's type and was stored empty:</numerusform>
                <numerusform>%n cells did not read as their column's type and were stored empty:</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>Showing all %n row(s).</source>
            <translation>
                <numerusform>Showing the only row.</numerusform>
                <numerusform>Showing all %n rows.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>Showing the first %n row(s).</source>
            <translation>
                <numerusform>Showing the first row.</numerusform>
                <numerusform>Showing the first %n rows.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>Showing the first %n row(s) of the sheet.</source>
            <translation>
                <numerusform>Showing the first row of the sheet.</numerusform>
                <numerusform>Showing the first %n rows of the sheet.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>Imported %1 rows from %n sheet(s).</source>
            <translation>
                <numerusform>Imported %1 rows from %n sheet.</numerusform>
                <numerusform>Imported %1 rows from %n sheets.</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>tally::ui::ModelSetupDialog</name>
        <message numerus="yes">
            <source>CPU (%n thread(s))</source>
            <translation>
                <numerusform>CPU (%n thread)</numerusform>
                <numerusform>CPU (%n threads)</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>tally::ui::Sidebar</name>
        <message numerus="yes">
            <source>%1 (%n row(s))</source>
            <translation>
                <numerusform>%1 (%n row)</numerusform>
                <numerusform>%1 (%n rows)</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>tally::ui::ToolCard</name>
        <message numerus="yes">
            <source>%n row(s)</source>
            <translation>
                <numerusform>%n row</numerusform>
                <numerusform>%n rows</numerusform>
            </translation>
        </message>
    </context>
</TS>
