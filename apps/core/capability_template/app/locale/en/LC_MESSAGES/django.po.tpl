# {{ title }}: the app's own catalogue (Django reads every installed app's locale/).
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\n"
"Language: en\n"

msgid "{{ title }}"
msgstr "{{ title }}"

msgid "Nothing has been published here yet."
msgstr "Nothing has been published here yet."
