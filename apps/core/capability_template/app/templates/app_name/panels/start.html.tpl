{% load i18n %}<section class="home-panel" aria-labelledby="{{ heading_id }}">
<h2 id="{{ heading_id }}">{% translate "{{ title }}" %}</h2>
<p><a href="{% url '{{ app_name }}:index' %}">{% translate "Nothing has been published here yet." %}</a></p>
</section>
